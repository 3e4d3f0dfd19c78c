"""Guards of procedures.md §5.2 (守卫规则): one small named function per guard, run in numbered order."""
