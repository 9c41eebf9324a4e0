from setuptools import setup

setup(
    name="face_match",
    version="1.4.0",
    packages=["face_match"],
    install_requires=[
        "face_match_models>=0.3.0",
        "Click>=6.0",
        "dlib>=19.7",
        "numpy",
        "Pillow",
    ],
    entry_points={
        "console_scripts": [
            "face_match=face_match.cli:main",
            "face_detection=face_match.detection_cli:main",
        ]
    },
    license="MIT license",
)
