"""What an integration's own tests steer: faults injected on purpose (faults.py) and
snapshots of the whole store, saved and restored in a blink (snapshots.py)."""
