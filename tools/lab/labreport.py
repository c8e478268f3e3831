# placeholder, replaced below
def report(d, s):
    pass
def index(o, ss):
    pass
