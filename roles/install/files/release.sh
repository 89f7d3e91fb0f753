#!/bin/sh
# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
#
# Managed by sourcebuilt.docker (roles/install/files/release.sh).
# The install, switch and rollback of a release, in POSIX sh with nothing but tar and gzip besides the
# usual utilities. It goes to hosts as the text of a raw command (set -- ARGS first), so keep every
# quote in this file balanced, comments included.
#
#   release.sh state   PREFIX ID SHA256 ITEM...   read only: what install and switch would do, and the current manifest
#   release.sh install PREFIX ID SHA256 ITEM...   unpack --tarball into releases/ID, verify, keep
#   release.sh switch  PREFIX ID SHA256 ITEM...   make ID current, link, keep --keep releases
#
# PREFIX holds releases/ID, the current link and the previous file. SHA256 is the command that prints
# the sha256 of its standard input (sha256sum, or a helper such as "busybox sha256sum"). ITEMs:
#   sum=SHA:PATH      a file of the release (PATH inside releases/ID) and its sha256
#   link=LINK:PATH    LINK on the host points to PREFIX/current/PATH
#   from=FILE:PATH    install takes PATH from FILE on the host (a host that built the release itself)
#   --tarball=FILE    gzip tar of files of the release (install), paths relative to the release dir
#   --manifest=TEXT   install writes TEXT as the manifest.json of the release (checked by its sum= like any file)
#   --keep=N          releases kept (switch; the current and the previous one are never removed)
#   --previous=ID     what the previous file names after the switch (default: the release left;
#                     after a failed restart the caller passes what it named before that run)
#   --rehash          state: read every file again, whatever PREFIX/verified/ID records (verify.yml)
# Every file is checked against its sha256 before the switch; a file of the current release with the
# same path and sha256 is hard-linked instead of unpacked. Once a release is verified, PREFIX/verified/ID
# records the device, inode, size, mtime and ctime of each file with its sha256: a file whose stat is
# still the recorded one is not read again (any write, chmod or new link changes its ctime, which no
# user can set back); any other is hashed. Without stat -c every file is hashed, every time. A failed
# install leaves no trace and the current release untouched. Output: one line per finding or change; exit 1 on a refusal, 2 on bad usage.
set -u
PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"
umask 022

say() { printf '%s\n' "$*"; }
die() {
	printf 'release.sh: %s\n' "$*" >&2
	exit 1
}
usage() {
	printf 'usage: release.sh state|install|switch PREFIX ID SHA256 [sum=SHA:PATH]... [link=LINK:PATH]... [from=FILE:PATH]... [--tarball=F] [--keep=N] [--previous=ID]\n' >&2
	exit 2
}

[ $# -ge 4 ] || usage
cmd=$1 prefix=$2 id=$3 sha256=$4
shift 4
case $cmd in state | install | switch) ;; *) usage ;; esac
case $id in '' | *[!0-9a-f]*) die "release id must be hex, got [$id]" ;; esac
case $prefix in /*) ;; *) die "PREFIX must be an absolute path, got [$prefix]" ;; esac
prefix=${prefix%/}

sums='' links='' froms='' tarball='' manifest='' manifest_set=no keep=3 previous_set=no previous_arg='' rehash=no
nl='
'
for arg in "$@"; do
	case $arg in
	sum=*:*)
		s=${arg#sum=}
		p=${s#*:}
		s=${s%%:*}
		case $s in *[!0-9a-f]*) die "bad sha256 in $arg" ;; esac
		[ "$(printf %s "$s" | wc -c)" -eq 64 ] || die "bad sha256 in $arg"
		case $p in '' | /* | *..* | *[!A-Za-z0-9._/+-]*) die "bad path in $arg" ;; esac
		sums="$sums$s $p$nl"
		;;
	link=/*:*)
		l=${arg#link=}
		p=${l#*:}
		l=${l%%:*}
		case $l$p in *..* | *[!A-Za-z0-9._/+-]*) die "bad link in $arg" ;; esac
		links="$links$l $p$nl"
		;;
	from=/*:*)
		f=${arg#from=}
		p=${f##*:}
		f=${f%:*}
		case $f$p in *..* | *[!A-Za-z0-9._/+-]*) die "bad file in $arg" ;; esac
		froms="$froms$f $p$nl"
		;;
	--tarball=*) tarball=${arg#--tarball=} ;;
	--manifest=*)
		manifest_set=yes
		manifest=${arg#--manifest=}
		;;
	--keep=*)
		keep=${arg#--keep=}
		case $keep in '' | *[!0-9]*) die "--keep must be a number, got [$keep]" ;; esac
		[ "$keep" -ge 2 ] || die "--keep must be at least 2, got $keep"
		;;
	--previous=*)
		previous_set=yes
		previous_arg=${arg#--previous=}
		;;
	--rehash) rehash=yes ;;
	*) die "unknown argument [$arg]" ;;
	esac
done
[ -n "$sums" ] || die "no sum=SHA:PATH given: the release has no files"

releases=$prefix/releases
release=$releases/$id
verified=$prefix/verified

# SHA256 is a command, or a command and its applet: "/opt/sourcebuilt-docker/helpers/busybox sha256sum".
sha256_bin=${sha256%% *}
sha256_applet=
case $sha256 in *" "*) sha256_applet=${sha256#* } ;; esac
sha256_of_stdin() {
	if [ -n "$sha256_applet" ]; then "$sha256_bin" "$sha256_applet"; else "$sha256_bin"; fi
}

# The sha256 of a file, or nothing when it is missing.
sum_of() {
	[ -f "$1" ] || return 0
	out=$(sha256_of_stdin <"$1") || return 0
	printf '%s\n' "${out%% *}"
}

current_id() {
	t=$(readlink "$prefix/current" 2>/dev/null) || return 0
	printf '%s\n' "${t##*/}"
}

# What the record keeps of a file: device, inode, size, mtime and ctime; nothing where stat -c fails.
stat_of() {
	stat -c '%d:%i:%s:%y:%z' "$1" 2>/dev/null
}

# The sha256 that record $1 holds for file $2 (PATH $3 in its release) while the stat of the file is the
# recorded one; nothing otherwise. A line is: STAT, a space, 64 hex, a space, PATH.
recorded_sum() {
	t=$(stat_of "$2") && [ -n "$t" ] || return 0
	awk -v t="$t" -v p="$3" 'index($0, t " ") == 1 && substr($0, length(t) + 67) == p { print substr($0, length(t) + 2, 64); exit }' "$1" 2>/dev/null
}

# Whether file PATH $2 of release $1 has sha256 $3: its record answers while the stat is the recorded one.
has_sum() {
	r=$(recorded_sum "$verified/$1" "$releases/$1/$2" "$2")
	if [ -n "$r" ]; then [ "$r" = "$3" ]; else [ "$(sum_of "$releases/$1/$2")" = "$3" ]; fi
}

# The files of dir $1: `damaged PATH` for each that does not match its sha256. With a record $2
# (PREFIX/verified/ID), a file whose stat and sha256 are the recorded ones is taken as verified without
# reading it, and `unrecorded PATH` names each file that had to be read and matched (where stat works).
# PATHs listed in file $3 are skipped: install hard-linked them from a verified file of the current release.
check_files() {
	printf '%s' "$sums" | while read -r s p; do
		[ -n "${3:-}" ] && grep -qxF "$p" "$3" 2>/dev/null && continue
		t=
		if [ -n "${2:-}" ]; then
			t=$(stat_of "$1/$p")
			[ -n "$t" ] && grep -qxF "$t $s $p" "$2" 2>/dev/null && continue
		fi
		if [ "$(sum_of "$1/$p")" != "$s" ]; then
			printf 'damaged %s\n' "$p"
		elif [ -n "$t" ]; then
			printf 'unrecorded %s\n' "$p"
		fi
	done
}

# Files of dir $1 that do not match their sha256, one per line (record $2 as for check_files).
damaged_in() {
	check_files "$@" | sed -n 's/^damaged //p'
}

# Record the stat of every file of release $id, just verified; rewritten only when it changed.
record_verified() {
	mkdir -p "$verified" 2>/dev/null || return 0
	printf '%s' "$sums" | while read -r s p; do
		t=$(stat_of "$release/$p") && [ -n "$t" ] && printf '%s %s %s\n' "$t" "$s" "$p"
	done >"$verified/.$id.new" 2>/dev/null
	if [ -s "$verified/.$id.new" ] && ! cmp -s "$verified/.$id.new" "$verified/$id"; then
		mv -f "$verified/.$id.new" "$verified/$id" || rm -f "$verified/.$id.new"
	else
		rm -f "$verified/.$id.new"
	fi
}

cur=$(current_id)
prev=$(cat "$prefix/previous" 2>/dev/null)

state() {
	say "current ${cur:--}"
	say "previous ${prev:--}"
	# The manifest of the current release on one line (JSON keeps no newline inside a string): what the switch compares.
	[ -n "$cur" ] && [ -f "$releases/$cur/manifest.json" ] && say "manifest $(tr '\n' ' ' <"$releases/$cur/manifest.json")"
	if [ ! -d "$release" ]; then
		say "release missing"
		bad=$(printf '%s' "$sums" | while read -r s p; do printf '%s\n' "$p"; done)
	else
		if [ "$rehash" = yes ]; then found=$(check_files "$release"); else found=$(check_files "$release" "$verified/$id"); fi
		bad=$(printf '%s\n' "$found" | sed -n 's/^damaged //p')
		if [ -z "$bad" ]; then say "release ok"; else say "release damaged"; fi
		# An install of the intact release only records it: the next run reads nothing.
		[ -z "$bad" ] && [ "$rehash" = no ] && case $found in *unrecorded*) say "record stale" ;; esac
	fi
	# What an install must bring: each file not intact in releases/ID and not linkable from current.
	for p in $bad; do
		s=$(printf '%s' "$sums" | while read -r s q; do [ "$q" = "$p" ] && printf '%s\n' "$s"; done)
		if [ -n "$cur" ] && [ "$cur" != "$id" ] && has_sum "$cur" "$p" "$s"; then
			say "same $p"
		else
			say "ship $p"
		fi
	done
	printf '%s' "$links" | while read -r l p; do
		[ "$(readlink "$l" 2>/dev/null)" = "$prefix/current/$p" ] || say "relink $l"
	done
	for d in $(stale_links); do say "unlink $d"; done
}

# Links in the link directories that point into current but are not in the list.
stale_links() {
	dirs=$(printf '%s' "$links" | while read -r l p; do printf '%s\n' "${l%/*}"; done | sort -u)
	for d in $dirs; do
		for f in "$d"/*; do
			[ -L "$f" ] || continue
			case $(readlink "$f") in "$prefix/current/"*) ;; *) continue ;; esac
			printf '%s' "$links" | grep -q "^$f " || printf '%s\n' "$f"
		done
	done
}

install() {
	if [ -d "$release" ] && [ -z "$(damaged_in "$release" "$verified/$id")" ]; then
		record_verified
		say "release ok $id"
		return 0
	fi
	stage=$releases/.$id.new
	linked=$releases/.$id.linked
	rm -rf "$stage" "$linked"
	mkdir -p "$stage" || die "cannot create $stage"
	: >"$linked" || {
		rm -rf "$stage"
		die "cannot write $linked"
	}
	if [ -n "$tarball" ]; then
		[ -f "$tarball" ] || die "no tarball $tarball"
		if ! gzip -dc "$tarball" | (cd "$stage" && tar -xf -); then
			rm -rf "$stage" "$linked"
			die "unpacking $tarball failed (a full disk?); release $id not installed, current ${cur:-none} unchanged"
		fi
	fi
	if [ "$manifest_set" = yes ] && ! printf '%s' "$manifest" >"$stage/manifest.json"; then
		rm -rf "$stage" "$linked"
		die "writing the manifest into $stage failed (a full disk?); release $id not installed, current ${cur:-none} unchanged"
	fi
	# Same path and sha256 in the current release: one inode for both, not read again below.
	if [ -n "$cur" ] && [ "$cur" != "$id" ]; then
		printf '%s' "$sums" | while read -r s p; do
			has_sum "$cur" "$p" "$s" || continue
			mkdir -p "$stage/${p%/*}" && ln -f "$releases/$cur/$p" "$stage/$p" && printf '%s\n' "$p" >>"$linked" && say "linked $p"
		done
	fi
	# Files the host holds itself (its own build), unless the tarball brought them.
	if ! printf '%s' "$froms" | while read -r f p; do
		[ -f "$stage/$p" ] && continue
		mkdir -p "$stage/${p%/*}" && cp "$f" "$stage/$p" && chmod 0755 "$stage/$p" || exit 1
	done; then
		rm -rf "$stage" "$linked"
		die "copying into $stage failed (a full disk?); release $id not installed, current ${cur:-none} unchanged"
	fi
	bad=$(check_files "$stage" "" "$linked" | sed -n 's/^damaged //p')
	rm -f "$linked"
	if [ -n "$bad" ]; then
		rm -rf "$stage" "$linked"
		die "sha256 mismatch or missing: $(printf '%s' "$bad" | tr '\n' ' ')- release $id refused before the switch, current ${cur:-none} unchanged"
	fi
	chown -R 0:0 "$stage" 2>/dev/null
	chmod 0755 "$stage"
	if [ -d "$release" ]; then
		rm -rf "$release" || die "cannot remove the damaged $release"
		say "replaced damaged $id"
	fi
	mv "$stage" "$release" || die "cannot move $stage to $release"
	record_verified
	say "installed $id"
}

switch() {
	[ -d "$release" ] || die "release $id is not installed under $releases"
	bad=$(damaged_in "$release" "$verified/$id")
	[ -z "$bad" ] || die "release $id is damaged ($(printf '%s' "$bad" | tr '\n' ' ')): not switched to, current ${cur:-none} unchanged"
	if [ "$cur" != "$id" ]; then
		if [ "$previous_set" = yes ]; then new_prev=$previous_arg; else new_prev=$cur; fi
		if [ -n "$new_prev" ] || [ "$previous_set" = yes ]; then
			if ! { printf '%s\n' "$new_prev" >"$prefix/previous.new" && mv -f "$prefix/previous.new" "$prefix/previous"; }; then
				die "cannot write $prefix/previous"
			fi
			prev=$new_prev
		fi
		rm -f "$prefix/current.new"
		if ! { ln -s "releases/$id" "$prefix/current.new" && mv -fT "$prefix/current.new" "$prefix/current"; }; then
			die "cannot switch $prefix/current to $id"
		fi
		say "switched ${cur:--} $id"
	fi
	printf '%s' "$links" | while read -r l p; do
		want=$prefix/current/$p
		[ "$(readlink "$l" 2>/dev/null)" = "$want" ] && continue
		if ! { mkdir -p "${l%/*}" && rm -f "$l.new" && ln -s "$want" "$l.new" && mv -fT "$l.new" "$l"; }; then
			die "cannot link $l"
		fi
		say "linked $l"
	done
	for f in $(stale_links); do
		rm -f "$f" && say "unlinked $f"
	done
	# By mtime: a release with --keep or more newer ones goes, unless it is the current or the previous one.
	for d in "$releases"/*; do
		[ -d "$d" ] || continue
		r=${d##*/}
		[ "$r" = "$id" ] || [ "$r" = "$prev" ] && continue
		newer=$(find "$releases"/* -prune -type d -newer "$d" | wc -l)
		[ "$newer" -ge "$keep" ] || continue
		rm -rf "$d" && rm -f "$verified/$r" && say "removed $r"
	done
}

case $cmd in
state) state ;;
install) install ;;
switch) switch ;;
esac
