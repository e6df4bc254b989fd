"""Asset inquiry (网络查控): the provider interface, the simulated provider and the runner
that asks providers for many debtors at once on the worker."""
