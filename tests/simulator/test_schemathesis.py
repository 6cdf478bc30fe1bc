"""schemathesis exercises the simulator against the OpenAPI document, with every check.

The document is deliberately looser than contract.md (money and times are plain strings, the
lists declare no 400). The simulator follows contract.md, so the test runs schemathesis on
the document with those decisions written in, rather than switching checks off.
"""

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import OPENAPI_PATH, SIMULATOR_KEY

MONEY_PATTERN = r"^-?[0-9]{1,12}\.[0-9]{2}$"
TIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})$"
)


def contract_strict_document(path: Path) -> Path:
    document = yaml.safe_load(OPENAPI_PATH.read_text())
    schemas = document["components"]["schemas"]
    schemas["Money"]["pattern"] = MONEY_PATTERN  # contract.md: "a string with two decimals"
    for name in ("openTime", "closeTime"):  # contract.md: "UTC ISO 8601 with milliseconds"
        schemas["SessionFields"]["properties"][name]["pattern"] = TIME_PATTERN
    # contract.md documents only cash/card/oliverPay; other keys must at least be money.
    schemas["ClosingAmounts"]["additionalProperties"] = {"$ref": "#/components/schemas/Money"}
    for operation in ("/v1/api/stations", "/v1/api/outlets", "/v1/api/transactions"):
        # contract.md: validation problems answer 400 with a message list.
        document["paths"][operation]["get"]["responses"]["400"] = {
            "$ref": "#/components/responses/BadRequest"
        }
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def test_the_simulator_conforms_to_the_openapi_document(simulator, tmp_path):
    schema = contract_strict_document(tmp_path / "finalpos-contract-strict.yaml")
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(schemathesis),
            "run",
            str(schema),
            "--url",
            simulator.url,
            "--header",
            f"x-api-key: {SIMULATOR_KEY}",
            "--checks",
            "all",
            "--max-examples",
            "10",
            "--seed",
            "1",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
