"""Task performance per unit (for scoring-api's assessments). The wire models are the contract in
luoshi.contracts.performance, served as they are so tasks-api and its client cannot drift apart."""

from luoshi.contracts.performance import DeadlineBasis, PlanPerformance, UnitPerformance

__all__ = ["DeadlineBasis", "PlanPerformance", "UnitPerformance"]
