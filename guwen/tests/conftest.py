def pytest_terminal_summary(terminalreporter):
    """The API fuzzer's tally (guwen/tests/test_api_fuzz.py): operations and requests per role."""
    per_role: dict[str, int] = {}
    operations = set()
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "") != "call":
                continue
            for name, value in getattr(report, "user_properties", []):
                if name == "api_fuzz":
                    role = report.nodeid.split("[")[0].rsplit("test_api_contract_", 1)[-1]
                    per_role[role] = per_role.get(role, 0) + value["requests"]
                    operations.add(value["operation"])
    if per_role:
        roles = ", ".join(f"{role} {n}" for role, n in sorted(per_role.items()))
        terminalreporter.write_line(
            f"API fuzz: {sum(per_role.values())} requests over {len(operations)} operations ({roles})"
        )
