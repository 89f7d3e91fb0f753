# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Variables of geerlingguy.docker and kubespray that this collection does not read, each with what to set
instead. An inventory carried over from those roles would otherwise be ignored in silence."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

# name -> (whose variable, what to set instead)
FOREIGN_VARIABLES = {
    # geerlingguy.docker
    'docker_daemon_options': ('geerlingguy.docker', 'daemon_options (the same dict, written to daemon.json)'),
    'docker_users': ('geerlingguy.docker', 'daemon_users (members of daemon_group)'),
    'docker_package': ('geerlingguy.docker', 'build_profile (the engine is built from source, not a package)'),
    'docker_package_state': ('geerlingguy.docker', 'build_profile (no package is installed)'),
    'docker_edition': ('geerlingguy.docker', 'build_profile (no ce/ee edition: one source-built engine)'),
    'docker_packages': ('geerlingguy.docker', 'build_component_overrides (components are built, not installed as packages)'),
    'docker_service_state': ('geerlingguy.docker', 'daemon_service_manage'),
    'docker_service_enabled': ('geerlingguy.docker', 'daemon_service_manage'),
    'docker_service_manage': ('geerlingguy.docker', 'daemon_service_manage'),
    'docker_restart_handler_state': ('geerlingguy.docker', 'daemon_service_manage (restarts happen only on a change)'),
    'docker_install_compose': ('geerlingguy.docker', 'nothing: compose is not part of the engine stack'),
    'docker_install_compose_plugin': ('geerlingguy.docker', 'nothing: compose is not part of the engine stack'),
    'docker_compose_package': ('geerlingguy.docker', 'nothing: compose is not part of the engine stack'),
    'docker_add_repo': ('geerlingguy.docker', 'nothing: no package repository is used'),
    'docker_apt_repository': ('geerlingguy.docker', 'nothing: no package repository is used'),
    'docker_yum_repo_url': ('geerlingguy.docker', 'nothing: no package repository is used'),
    # kubespray
    'docker_options': ('kubespray', 'daemon_flags (command-line flags) or daemon_options (daemon.json)'),
    'docker_insecure_registries': ('kubespray', "daemon_options: {insecure-registries: [...]}"),
    'docker_registry_mirrors': ('kubespray', "daemon_options: {registry-mirrors: [...]}"),
    'docker_log_opts': ('kubespray', "daemon_options: {log-driver: ..., log-opts: {...}}"),
    'docker_daemon_graph': ('kubespray', 'daemon_data_root'),
    'docker_storage_options': ('kubespray', "daemon_storage_driver and daemon_options: {storage-opts: [...]}"),
    'docker_dns_servers_strict': ('kubespray', "daemon_options: {dns: [...]}"),
    'docker_bin_dir': ('kubespray', 'daemon_bin_dir'),
    'docker_iptables_enabled': ('kubespray', 'daemon_iptables'),
    'docker_mount_flags': ('kubespray', 'daemon_flags'),
    'docker_version': ('kubespray', 'build_profile'),
    'docker_cli_version': ('kubespray', 'build_profile'),
    'docker_containerd_version': ('kubespray', 'build_profile'),
    'containerd_version': ('kubespray', 'build_profile'),
    'docker_rpm_keepcache': ('kubespray', 'nothing: no package is installed'),
}


def foreign_variables(names):
    """One warning per name (sorted) that another Docker role reads and this collection does not."""
    if isinstance(names, str) or not hasattr(names, '__iter__'):
        raise AnsibleFilterError(f'foreign_variables expects a list of variable names, got {type(names).__name__}')
    warnings = []
    for name in sorted(set(str(n) for n in names)):
        if name in FOREIGN_VARIABLES:
            origin, instead = FOREIGN_VARIABLES[name]
            warnings.append(f'{name} is a variable of {origin} that sourcebuilt.docker does not read; set {instead}.')
    return warnings
