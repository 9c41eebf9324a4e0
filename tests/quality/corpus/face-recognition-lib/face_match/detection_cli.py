# -*- coding: utf-8 -*-
import click

import face_match.api as fm


@click.command()
@click.argument("image_to_check")
@click.option("--upsample", default=0)
def main(image_to_check, upsample):
    image = fm.load_image_file(image_to_check)
    for top, right, bottom, left in fm.face_locations(image, number_of_times_to_upsample=upsample):
        print(f"{image_to_check},{top},{right},{bottom},{left}")
