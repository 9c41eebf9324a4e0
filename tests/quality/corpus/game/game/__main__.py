from game.race import Race

if __name__ == "__main__":
    Race(track="assets/maps/track1.json", laps=3).run()
