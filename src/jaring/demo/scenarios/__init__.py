"""The three real programmes as demo scenarios: `jaring demo --scenario KEY [--scale F]`."""

from jaring.demo.scenarios.specs import SCENARIOS

__all__ = ["SCENARIOS"]
