"""Chinese text folds shared by the NLU pipeline (bot/components, Python 3.10), the
action server (actions/, Python 3.11) and the hub (integrations/): standard library
only, so all of them can import it."""
