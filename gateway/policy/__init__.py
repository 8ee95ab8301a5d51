"""Policy: data sharing agreements, the default policy, and the decision they give.

Pure: reads rule files once at start-up and otherwise does no I/O.

* `load_policy(rules_dir) -> PolicySet`, raising `RuleError` (`file:key: reason`);
* `PolicySet.decide(detection, destination, today) -> Verdict`;
* `check_rules(rules_dir) -> list[str]`: every problem, for `dlp-gateway rules check`.
"""

from gateway.policy.agreements import Agreement
from gateway.policy.default import DefaultPolicy
from gateway.policy.policyset import PolicySet, check_rules, load_policy
from gateway.policy.schema import RuleError

__all__ = ["Agreement", "DefaultPolicy", "PolicySet", "RuleError", "check_rules", "load_policy"]
