"""The Svix wording, in one place: sentence tables for think blocks and for requests.

Tables only; the engine that fills them is ``svixbt.render``. Every template's variable parts are
claim slots, so a sentence can say nothing its claim does not carry.
"""
