import os
import unittest

import numpy as np

from face_match import api


class Test_face_match(unittest.TestCase):
    def test_face_distance_empty_lists(self):
        encoding = np.ones((128,))
        self.assertEqual(len(api.face_distance([], encoding)), 0)

    def test_compare_faces_tolerance(self):
        a = np.zeros((128,))
        b = np.full((128,), 0.01)
        self.assertEqual(api.compare_faces([a], b, tolerance=0.2), [True])
        self.assertEqual(api.compare_faces([a], b + 1.0, tolerance=0.2), [False])

    def test_image_folder_skips_text_files(self):
        here = os.path.dirname(__file__)
        self.assertTrue(os.path.isdir(here))
