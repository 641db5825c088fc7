"""Shared file helpers: atomic writes and the pacing of checkpoints of state that grows with the corpus."""

from __future__ import annotations

from sprogtro._io import CheckpointPacer, atomic_write_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_io_pacer_saves_after_every_items_while_saving_is_cheap():
    clock = FakeClock()
    pacer = CheckpointPacer(every=3, ratio=10, clock=clock)
    due = []
    for i in range(1, 10):
        clock.now += 1.0
        if pacer.tick():
            due.append(i)
            with pacer.saving():
                pass  # instant save
    assert due == [3, 6, 9]


def test_io_pacer_waits_ten_times_a_slow_save():
    """A save that took 2 s is not repeated before 20 s of work, however many items arrive."""
    clock = FakeClock()
    pacer = CheckpointPacer(every=3, ratio=10, clock=clock)
    for _ in range(3):
        clock.now += 0.1
        pacer.tick()
    with pacer.saving():
        clock.now += 2.0
    due = []
    for i in range(1, 400):
        clock.now += 0.1
        if pacer.tick():
            due.append(round(clock.now - 2.3, 1))
            break
    assert due == [20.0]


def test_io_atomic_write_text_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "notat.txt"
    atomic_write_text(target, "Borgeren møder stabilt.\n")
    assert target.read_text(encoding="utf-8") == "Borgeren møder stabilt.\n"
    assert [p.name for p in target.parent.iterdir()] == ["notat.txt"]
