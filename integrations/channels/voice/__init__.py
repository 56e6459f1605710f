"""The voice line: jambonz application webhooks in, jambonz verbs out.

calls.py is the call flow; around it, one job per module: contract.py (the jambonz
schemas, a copy in jambonz/), hook.py (the per-call state in the hook URL), hearing.py
(n-best choice and homophone correction), numbers.py (digits keyed or said),
replies.py (yes/no, go on, a choice), speech.py (speakable text), verbs.py (building
verbs) and signature.py (jambonz's webhook signature). The routes are in
integrations/api/routes/jambonz.py.
"""
