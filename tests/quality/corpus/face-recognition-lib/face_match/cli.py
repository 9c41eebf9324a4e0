# -*- coding: utf-8 -*-
import multiprocessing
import os
import re

import click
import numpy as np

import face_match.api as fm


def scan_known_people(known_people_folder):
    names, encodings = [], []
    for file in image_files_in_folder(known_people_folder):
        basename = os.path.splitext(os.path.basename(file))[0]
        found = fm.face_encodings(fm.load_image_file(file))
        if len(found) > 1:
            click.echo(f"WARNING: More than one face found in {file}. Only considering the first face.")
        if not found:
            click.echo(f"WARNING: No faces found in {file}. Ignoring file.")
            continue
        names.append(basename)
        encodings.append(found[0])
    return names, encodings


def test_image(image_to_check, known_names, known_face_encodings, tolerance=0.6, show_distance=False):
    unknown_image = fm.load_image_file(image_to_check)
    for unknown_encoding in fm.face_encodings(unknown_image):
        distances = fm.face_distance(known_face_encodings, unknown_encoding)
        result = list(distances <= tolerance)
        if True in result:
            for is_match, name, distance in zip(result, known_names, distances):
                if is_match:
                    print(f"{image_to_check},{name},{distance}" if show_distance else f"{image_to_check},{name}")
        else:
            print(f"{image_to_check},unknown_person")


def image_files_in_folder(folder):
    return [os.path.join(folder, f) for f in os.listdir(folder) if re.match(r".*\.(jpg|jpeg|png)", f, flags=re.I)]


@click.command()
@click.argument("known_people_folder")
@click.argument("image_to_check")
@click.option("--cpus", default=1)
@click.option("--tolerance", default=0.6)
@click.option("--show-distance", default=False, type=bool)
def main(known_people_folder, image_to_check, cpus, tolerance, show_distance):
    known_names, known_face_encodings = scan_known_people(known_people_folder)
    images = image_files_in_folder(image_to_check) if os.path.isdir(image_to_check) else [image_to_check]
    if cpus == 1:
        for image in images:
            test_image(image, known_names, known_face_encodings, tolerance, show_distance)
    else:
        with multiprocessing.get_context("forkserver").Pool(processes=None if cpus == -1 else cpus) as pool:
            pool.starmap(test_image, [(i, known_names, known_face_encodings, tolerance, show_distance) for i in images])
