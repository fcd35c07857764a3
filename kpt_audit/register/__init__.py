"""The register of findings across runs: verification, rectification, 销号 (issue 12)."""
