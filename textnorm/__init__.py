"""Chinese text folds shared by the NLU pipeline (bot/components, Python 3.10) and the
action server (actions/, Python 3.11): standard library only, so both can import it."""
