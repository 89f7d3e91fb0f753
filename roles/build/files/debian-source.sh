#!/bin/bash
# Written by sourcebuilt.docker (roles/build): do not edit.
# debian-source.sh PACKAGE VERSION DIR: unpack the Debian source package PACKAGE=VERSION (Debian's
# patches applied) into DIR/tree, as `apt-get source` does. A mirror may list a source in its index
# but not serve its .dsc (seen on deb.debian.org for containerd 1.7.24~ds1-6+deb13u1 while the
# tarballs were served): then the other files are fetched with the sha256 the signed index gives,
# the .dsc is written from the index record, and dpkg-source unpacks it (checking those sums).
set -euo pipefail
package=$1 version=$2 dir=$3

rm -rf "$dir" && mkdir -p "$dir/dl"
cd "$dir/dl"
if ! apt-get source -qq "$package=$version"; then
  echo "sourcebuilt: apt-get source $package=$version failed; fetching its files by the index's sha256" >&2
  rm -rf -- ./*
  record=$(apt-cache showsrc --only-source "$package" | awk -v v="$version" '
    /^$/ { if (found) exit; block = ""; next }
    { block = block $0 "\n" }
    /^Version: / && $2 == v { found = 1 }
    END { if (found) printf "%s", block }')
  [ -n "$record" ] || { echo "the index has no source $package=$version" >&2; exit 1; }
  dsc="${package}_${version#*:}.dsc"
  # 'URI' file size SHA256:sum, one line per file of the source package.
  apt-get source --print-uris -qq "$package=$version" | grep "^'" | while read -r uri file _size sum; do
    [ "$file" = "$dsc" ] && continue
    /usr/lib/apt/apt-helper download-file "${uri//\'/}" "$file" "$sum" >/dev/null
  done
  # The .dsc: the index record's identity and file lists, without the line of the .dsc itself
  # (the index names the source Package, a .dsc names it Source).
  printf '%s' "$record" | awk -v dsc="$dsc" '
    /^[A-Za-z0-9-]+:/ { keep = ($1 ~ /^(Format|Package|Version|Files|Checksums-Sha256):$/); sub(/^Package:/, "Source:") }
    keep && !(/^ / && $3 == dsc) { print }' > "$dsc"
  dpkg-source -x "$dsc" >/dev/null
  find . -mindepth 1 -maxdepth 1 ! -type d -delete
fi
tree=$(find . -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -n "$tree" ] || { echo "apt-get source unpacked nothing" >&2; exit 1; }
mv "$tree" ../tree
cd .. && rm -rf dl && touch .complete
