"""Early warning of consent collapse: the probability that a host forces a mission out.

``panel`` builds the mission-month panel from the knowledge base, ``model`` fits a discrete-time
hazard model (regularised logistic regression) and explains each forecast, ``backtest`` judges
it by rolling origin against the base rate, a mandate-blind model, a competing-risks model
(``competing``) and the simulation, at 6, 12 and 24 months (``horizons``), ``summary`` keeps
its skill machine-readable (the line shown beside every forecast), and ``truncate`` cuts a copy
of the store at a date (the leakage test and the simulation baseline). See docs/forecast.md.
"""
