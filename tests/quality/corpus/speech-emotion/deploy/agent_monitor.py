import collections
import pickle
import time

import numpy as np
import pyaudio
import soundfile

from features import extract_feature

model = pickle.load(open("model/ser_mlp.pkl", "rb"))
WINDOW = collections.deque(maxlen=12)


def alert_supervisor(agent_id, share):
    print(f"[ALERT] agent {agent_id}: negative emotion in {share:.0%} of the last minute")


def monitor(agent_id, stream):
    while True:
        chunk = np.frombuffer(stream.read(16000 * 5), dtype=np.int16).astype("float32") / 32768
        soundfile.write("/tmp/agent_chunk.wav", chunk, 16000)
        emotion = model.predict([extract_feature("/tmp/agent_chunk.wav")])[0]
        WINDOW.append(emotion in ("angry", "sad", "fearful"))
        if len(WINDOW) == WINDOW.maxlen and sum(WINDOW) / len(WINDOW) > 0.5:
            alert_supervisor(agent_id, sum(WINDOW) / len(WINDOW))
        time.sleep(1)


if __name__ == "__main__":
    pa = pyaudio.PyAudio()
    monitor("A-1042", pa.open(format=pyaudio.paInt16, channels=1, rate=16000, input=True))
