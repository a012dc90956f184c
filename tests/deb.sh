#!/bin/sh
# deb.sh DEB — the Debian package make deb builds: its control names the
# libraries' packages and gnuplot, each of which this machine knows; its
# files are make install's under /usr; and, installed with dpkg into a
# fresh root, its gilsim runs a shipped config and plots it from /tmp,
# finding its data inside that root.  Run from the project root (make
# deb-check, part of make test).
deb=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
fail() { echo "deb-check: $*"; exit 1; }
[ -f "$deb" ] || fail "no package $deb"

depends=$(dpkg-deb -f "$deb" Depends) || fail "dpkg-deb cannot read $deb's control"
for want in libyaml libcsv gnuplot-nox; do
    echo "$depends" | grep -q "$want" || fail "Depends lacks $want: $depends"
done
echo "$depends" | grep -q "libc6 (>= " || fail "Depends gives no libc6 version: $depends"
# each dependency (one of its alternatives) is a package dpkg knows here
echo "$depends" | tr ',' '\n' | while read -r group; do
    known=
    for alt in $(echo "$group" | tr '|' '\n' | sed 's/(.*)//; s/ //g'); do
        dpkg-query -W "$alt" >/dev/null 2>&1 && known=$alt
    done
    [ -n "$known" ] || { echo "deb-check: Depends names $group, which no package here is"; exit 1; }
done || exit 1
dpkg-deb -c "$deb" >"$tmp/files" || fail "dpkg-deb cannot list $deb"
for f in ./usr/bin/gilsim ./usr/share/gilsim/plots/timeline.gp ./usr/share/gilsim/configs/default.yaml \
         ./usr/share/man/man1/gilsim.1.gz ./usr/share/man/man5/gilsim-config.5.gz \
         ./usr/share/bash-completion/completions/gilsim ./usr/share/doc/gilsim/copyright; do
    grep -q " $f\$" "$tmp/files" || fail "$deb lacks $f"
done
grep -v ' root/root ' "$tmp/files" | grep -q . && fail "$deb has files not owned by root"

# A fresh root: an empty dpkg database, nothing else (the libraries come
# from this machine, hence --force-depends).
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" && : >"$root/var/lib/dpkg/status" &&
    : >"$root/var/lib/dpkg/available" || exit 2
dpkg --root="$root" --force-depends --force-not-root --force-script-chrootless \
     --log=/dev/null -i "$deb" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "dpkg -i into a fresh root failed"; }
dpkg --root="$root" -s gilsim 2>/dev/null | grep -q '^Status: install ok installed' ||
    fail "dpkg does not list gilsim as installed in the fresh root"
cd /tmp || exit 2
out=$tmp/run
"$root/usr/bin/gilsim" run "$root/usr/share/gilsim/configs/default.yaml" -q -o "$out" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "the packaged gilsim run failed from /tmp"; }
"$root/usr/bin/gilsim" plot "$out" >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "the packaged gilsim plot failed from /tmp"; }
ls "$out"/*.png >/dev/null 2>&1 || fail "the packaged gilsim plot drew no figure"
echo "deb-check: $deb: control, files, installed into a fresh root, run and plot from /tmp: ok"
