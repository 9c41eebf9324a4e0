import librosa
import numpy as np
import soundfile


def extract_feature(file_name, mfcc=True, chroma=True, mel=True):
    with soundfile.SoundFile(file_name) as sound_file:
        X = sound_file.read(dtype="float32")
        sample_rate = sound_file.samplerate
        result = np.array([])
        if chroma:
            stft = np.abs(librosa.stft(X))
        if mfcc:
            result = np.hstack((result, np.mean(librosa.feature.mfcc(y=X, sr=sample_rate, n_mfcc=40).T, axis=0)))
        if chroma:
            result = np.hstack((result, np.mean(librosa.feature.chroma_stft(S=stft, sr=sample_rate).T, axis=0)))
        if mel:
            result = np.hstack((result, np.mean(librosa.feature.melspectrogram(y=X, sr=sample_rate).T, axis=0)))
    return result
