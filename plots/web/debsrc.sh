#!/bin/sh
# debsrc.sh OUT — libyaml and libcsv for WebAssembly, from Debian's sources.
#
# The native build links the Debian packages libyaml-0-2 and libcsv3; the
# WebAssembly build (make web) must run the same library code, so this
# fetches the source packages of exactly the versions installed here
# (`apt-get source NAME=VERSION`), unpacks them with their Debian patches
# (dpkg-source -x) and compiles them with emcc into OUT/libyaml.a and
# OUT/libcsv.a, with their headers in OUT/include.
#
# The deb-src entry is the machine's own deb entries with the type changed
# (/etc/apt/sources.list.d/*.sources and sources.list), written with apt's
# package lists into OUT/apt: nothing of the system's apt configuration is
# touched, and no root is needed.  apt checks each file it fetches against
# the signed index it came from.
set -eu
out=${1:?usage: debsrc.sh OUT}
EMCC=${EMCC:-emcc}
EMAR=${EMAR:-emar}
mkdir -p "$out" && out=$(cd "$out" && pwd)
apt=$out/apt
rm -rf "$apt" "$out/src" "$out/include"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$out/src" "$out/include"

# deb-src copies of the machine's deb entries, in both of apt's formats.
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && sed 's/^Types:.*$/Types: deb-src/' "$f" >"$apt/parts/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$apt/parts/deb.list"
done
[ -n "$(ls "$apt/parts")" ] || { echo "debsrc: this machine has no Debian package sources" >&2; exit 1; }

# apt with the lists and cache here: no lock on the system's (NoLocking),
# and, run as root, no switch to the _apt user, who cannot write into a
# folder of the build (Sandbox::User).
aptq() {
    apt-get -q -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" \
        -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}
# The source version of an installed library package, e.g. libyaml 0.2.5-1.
installed() {
    v=$(dpkg-query -W -f='${source:Package}=${source:Version}\n' "$1" 2>/dev/null | head -n 1)
    [ -n "$v" ] || { echo "debsrc: $1 is not installed (make deps installs it)" >&2; exit 1; }
    echo "$v"
}
yaml=$(installed libyaml-0-2)
csv=$(installed libcsv3)
echo "debsrc: fetching the sources of $yaml and $csv"
aptq update >/dev/null
(cd "$out/src" && aptq source --download-only "$yaml" "$csv" >/dev/null)
# --no-check: no keyring for the .dsc's signature is needed, since apt
# has checked each file's hash against the signed Sources index.
for dsc in "$out"/src/*.dsc; do
    (cd "$out/src" && dpkg-source -q --no-check -x "$(basename "$dsc")" >/dev/null)
done
ysrc=$(ls -d "$out"/src/libyaml-*/ | head -n 1)
csrc=$(ls -d "$out"/src/libcsv-*/ | head -n 1)

# libyaml's version macros come from its configure.ac, as its own build
# takes them.
ver() { sed -n "s/^m4_define(\[YAML_$1\], *\([0-9]*\))/\1/p" "$ysrc/configure.ac"; }
major=$(ver MAJOR) minor=$(ver MINOR) patch=$(ver PATCH)
[ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ] ||
    { echo "debsrc: no version in $ysrc/configure.ac" >&2; exit 1; }

obj=$out/obj
rm -rf "$obj" && mkdir -p "$obj/yaml" "$obj/csv"
for c in "$ysrc"/src/*.c; do
    "$EMCC" -O2 -I"$ysrc/include" -DYAML_VERSION_MAJOR="$major" -DYAML_VERSION_MINOR="$minor" \
        -DYAML_VERSION_PATCH="$patch" -DYAML_VERSION_STRING="\"$major.$minor.$patch\"" \
        -c "$c" -o "$obj/yaml/$(basename "$c" .c).o"
done
"$EMCC" -O2 -I"$csrc" -c "$csrc/libcsv.c" -o "$obj/csv/libcsv.o"
rm -f "$out/libyaml.a" "$out/libcsv.a"
"$EMAR" rcs "$out/libyaml.a" "$obj"/yaml/*.o
"$EMAR" rcs "$out/libcsv.a" "$obj/csv/libcsv.o"
cp "$ysrc/include/yaml.h" "$csrc/csv.h" "$out/include/"
echo "debsrc: built $out/libyaml.a ($yaml) and $out/libcsv.a ($csv)"
