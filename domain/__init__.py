"""Pure domain rules: organisation levels, member state, procedures as data, guards, time rules."""
