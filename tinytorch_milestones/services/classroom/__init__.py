"""For instructors: a class view over many progress files, and grading that re-verifies submissions.

`class_view.class_rows` reads progress files (never writing to them); `grading.grade` re-verifies
each submission's milestones in isolated child processes through a local process pool or a Dask
cluster. Import the submodules you need; this package imports nothing on its own, so the CLI stays
quick to start.
"""
