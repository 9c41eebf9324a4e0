#!/usr/bin/python
# GNU General Public License v3.0+

DOCUMENTATION = r"""
---
module: uri
short_description: Call HTTP endpoints
options:
  url_username:
    description: User name sent for Basic or Digest authentication.
  url_password:
    description: Password sent for Basic or Digest authentication.
  client_cert:
    description: A PEM file with the client certificate for mutual TLS.
"""

EXAMPLES = r"""
- name: Sign in to a dashboard with a login form
  uri:
    url: https://dashboard.example.com/session
    method: POST
    body_format: form-urlencoded
    body:
      user: your_username
      password: your_password
    status_code: 303
"""


def main():
    pass
