def problems(response) -> dict[str | None, str]:
    """{field: code} of an error answer."""
    return {p["field"]: p["code"] for p in response.json()["errors"]}
