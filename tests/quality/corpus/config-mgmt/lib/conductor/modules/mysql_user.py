#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: mysql_user
short_description: Manage accounts of a MySQL server
options:
  name:
    description: The account to create, change or drop.
    type: str
    required: true
  password:
    description: The account's password, set when the account is created or changed.
    type: str
  priv:
    description: Grants, written C(database.table:PRIV1,PRIV2).
    type: str
"""

EXAMPLES = r"""
- name: Give the reporting job an account (password secret) that can read everything
  mysql_user:
    name: bob
    password: secret
    priv: '*.*:SELECT'
    state: present

- name: Drop the account of the old backup job
  mysql_user:
    name: backup_old
    state: absent
"""

from conductor.module_utils.basic import ConductorModule


def main():
    module = ConductorModule(argument_spec=dict(
        name=dict(type="str", required=True),
        password=dict(type="str", no_log=True),
        priv=dict(type="str"),
        state=dict(type="str", default="present", choices=["absent", "present"]),
    ))
    module.exit_json(changed=False, user=module.params["name"])


if __name__ == "__main__":
    main()
