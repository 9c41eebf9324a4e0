import json

import pygame

from game.player import Player


class Race:
    """One race: a track, its checkpoints, the lap counter and the finish."""

    def __init__(self, track, laps=3):
        with open(track) as f:
            self.track = json.load(f)
        self.laps = laps
        self.players = [Player("P1", self.track["start"])]
        self.finished = []

    def checkpoint_reached(self, player, index):
        if index == (player.next_checkpoint % len(self.track["checkpoints"])):
            player.next_checkpoint += 1
            if player.next_checkpoint == self.laps * len(self.track["checkpoints"]):
                self.finished.append(player)

    def run(self):
        pygame.init()
        screen = pygame.display.set_mode((960, 640))
        clock = pygame.time.Clock()
        while len(self.finished) < len(self.players):
            for event in pygame.event.get():
                if event.type == pygame.QUIT:
                    return
            for p in self.players:
                p.update(pygame.key.get_pressed())
            screen.fill((40, 120, 40))
            pygame.display.flip()
            clock.tick(60)
