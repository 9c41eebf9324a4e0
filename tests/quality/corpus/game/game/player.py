class Player:
    MAX_HEALTH = 100

    def __init__(self, name, start):
        self.name = name
        self.x, self.y = start
        self.health = self.MAX_HEALTH
        self.poisoned = False
        self.next_checkpoint = 0

    def hit_oil(self):
        self.health = max(0, self.health - 15)

    def heal(self, amount):
        self.health = min(self.MAX_HEALTH, self.health + amount)

    def update(self, keys):
        if self.poisoned:
            self.health -= 1
