"""The cases of the permission matrix (tests/security/test_permission_matrix.py), by area.

`common` holds the roles' rows, `Case` and `ApiCase` and the world's things most cases visit;
each `cases_<area>` module builds its area's things once per world and lists its cases. The test
module puts the lists together, in the order they were first written, and checks that every named
view of the project is in them.
"""
