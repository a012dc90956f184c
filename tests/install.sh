#!/bin/sh
# install.sh — make install into a scratch DESTDIR, then the installed
# binary, run from another folder, finds its own files: a run with its
# figures, a plot of that run, the shipped labs.  A copy of the binary
# without its data says what to do (and GILSIM_DATADIR mends it), and
# make uninstall leaves nothing behind.  Run from the project root
# (make install-check, part of make test).
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
fail() { echo "install-check: $*"; exit 1; }

make -s --no-print-directory install DESTDIR="$tmp/stage" PREFIX=/usr >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "make install failed"; }
bin=$tmp/stage/usr/bin/gilsim
data=$tmp/stage/usr/share/gilsim
man=$tmp/stage/usr/share/man
for f in "$bin" "$data/plots/timeline.gp" "$data/configs/default.yaml" \
         "$data/configs/labs/lab1_gather/lab.yaml" "$man/man1/gilsim.1" \
         "$man/man5/gilsim-config.5"; do
    [ -f "$f" ] || fail "make install did not write ${f#"$tmp"/stage}"
done
[ "$(ls "$data/plots" | wc -l)" = "$(ls plots/*.gp | wc -l)" ] ||
    fail "make install did not copy every plots/*.gp"

# The manual pages render, and mandoc's lint has nothing to say of them.
for page in "$man/man1/gilsim.1" "$man/man5/gilsim-config.5"; do
    MANWIDTH=80 man -l "$page" >"$tmp/out" 2>&1 && [ -s "$tmp/out" ] ||
        { cat "$tmp/out"; fail "man -l ${page#"$tmp"/stage} failed"; }
    if command -v mandoc >/dev/null; then
        mandoc -Tlint -W style "$page" >"$tmp/out" 2>&1
        [ -s "$tmp/out" ] && { cat "$tmp/out"; fail "mandoc -Tlint: ${page#"$tmp"/stage}"; }
    else
        echo "install-check: mandoc is missing: the manual pages' lint is skipped (make deps)"
    fi
done
grep -q "GILSIM_DATADIR" "$man/man1/gilsim.1" || fail "gilsim.1 has no ENVIRONMENT from --help"
grep -q "switch_interval" "$man/man5/gilsim-config.5" || fail "gilsim-config.5 lists no keys"
"$bin" man gilsim.7 >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/out")" = 1 ] ||
    { cat "$tmp/out"; fail "gilsim man of an unknown page: exit $rc, not 2 with one line"; }

# bash completes with the installed script: subcommands, options, config
# keys after --set and --vary, lab names after lab show and lab make.
comp=$tmp/stage/usr/share/bash-completion/completions/gilsim
cd "$tmp" || exit 2             # away from the tree: the labs come from the data folder
[ -f "$comp" ] || fail "make install did not write the bash completion script"
completes() {   # completes WANT WORD... : the last word is being typed
    got=$(PATH=$tmp/stage/usr/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@");
        COMP_CWORD=$(($# - 1)); _gilsim; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@" 2>&1)
    echo "$got" | grep -qx -- "$want" ||
        fail "completing '$*' did not offer '$want' (got: $(echo $got))"
}
want=sweep completes gilsim sw
want=--perfetto completes gilsim run x.yaml --per
want=python.switch_interval= completes gilsim run x.yaml --set python.sw
want=processes.0.threads.0.count= completes gilsim sweep x.yaml --vary processes.0.threads.0.c
want=lab5_convoy completes gilsim lab show lab5
want=lab1_gather completes gilsim lab make lab1
want=--student completes gilsim lab show lab1_gather --stu
want=gils completes gilsim help gi
want=config-reference completes gilsim config-r
want=--markdown completes gilsim config-reference --m
want=gilsim-config.5 completes gilsim man gilsim-
want=stage completes gilsim lab make lab1_gather --roster sta      # a file: the scratch folder's
want=summary completes gilsim run x.yaml --trace su
# bash splits --set KEY=VALUE at '=': a key's words after it, no file names
want=cfs completes gilsim run x.yaml --set os.scheduler =
want=rr completes gilsim sweep x.yaml --vary os.scheduler = r
want=socketpair completes gilsim run x.yaml --set objects.0.kind =
"$tmp/stage/usr/bin/gilsim" complete 5 gilsim run x.yaml --set os.tick = >"$tmp/out" 2>&1 &&
    [ ! -s "$tmp/out" ] || fail "gilsim complete of a value after --set os.tick= did not exit 0 offering nothing"
got=$(PATH=$tmp/stage/usr/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@");
    COMP_CWORD=$(($# - 1)); _gilsim; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" \
    gilsim run x.yaml --set os.tick = 2>&1)
[ -z "$got" ] || fail "completing a value after --set os.tick= offered: $(echo $got)"

# From a folder with neither plots/ nor configs/, the installed binary runs
# a shipped example and draws its figures, then plots the run again.
mkdir "$tmp/elsewhere" && cd "$tmp/elsewhere" || exit 2
"$bin" run "$data/configs/default.yaml" -q -o run --plot >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "the installed gilsim run --plot failed away from the tree"; }
ls run/*.png >/dev/null 2>&1 || fail "the installed gilsim run --plot drew no figure"
rm -f run/*.png
"$bin" plot run >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the installed gilsim plot failed"; }
ls run/*.png >/dev/null 2>&1 || fail "the installed gilsim plot drew no figure"
"$bin" lab list >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the installed gilsim lab list failed"; }
grep -q lab1_gather "$tmp/out" || fail "the installed gilsim lab list does not list the shipped labs"

# A lone copy of the binary cannot find its scripts (a plots/ in the
# folder above it is not a source tree's): one line saying how to mend
# it, exit 1, no gnuplot error; GILSIM_DATADIR mends it, and a wrong
# GILSIM_DATADIR is named.
mkdir "$tmp/lone" "$tmp/plots" && cp "$bin" "$tmp/lone/gilsim" &&
    echo 'plot no_such_variable' >"$tmp/plots/timeline.gp"   # a stray plots/ above it
"$tmp/lone/gilsim" plot run >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || { cat "$tmp/out"; fail "a lone binary's plot exited $rc, not 1"; }
[ "$(wc -l <"$tmp/out")" = 1 ] && grep -q GILSIM_DATADIR "$tmp/out" ||
    { cat "$tmp/out"; fail "a lone binary's plot did not say, in one line, to set GILSIM_DATADIR"; }
(cd "$tmp/lone" && ./gilsim lab list) >"$tmp/out" 2>&1
grep -q "no labs: .*GILSIM_DATADIR" "$tmp/out" ||
    { cat "$tmp/out"; fail "a lone binary's lab list did not say why it has no labs"; }
"$bin" completion zsh >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/out")" = 1 ] ||
    { cat "$tmp/out"; fail "completion of an unknown shell: exit $rc, not 2 with one line"; }
"$bin" complete x gilsim >"$tmp/out" 2>&1
[ $? = 2 ] || fail "gilsim complete with a bad word index did not exit 2"
GILSIM_DATADIR=$data "$tmp/lone/gilsim" plot run >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "GILSIM_DATADIR did not lead a lone binary to the scripts"; }
GILSIM_DATADIR=$tmp/nowhere "$bin" plot run >"$tmp/out" 2>&1
grep -q "GILSIM_DATADIR is $tmp/nowhere" "$tmp/out" ||
    { cat "$tmp/out"; fail "a wrong GILSIM_DATADIR was not named"; }

cd "$root" || exit 2
make -s --no-print-directory uninstall DESTDIR="$tmp/stage" PREFIX=usr >"$tmp/log" 2>&1 &&
    fail "make uninstall took a relative PREFIX"
grep -q "PREFIX must be an absolute path" "$tmp/log" || { cat "$tmp/log"; fail "no word on a relative PREFIX"; }
make -s --no-print-directory uninstall DESTDIR="$tmp/stage" PREFIX=/usr >"$tmp/log" 2>&1 ||
    { cat "$tmp/log"; fail "make uninstall failed"; }
left=$(find "$tmp/stage" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install-check: make install, the installed binary away from the tree, make uninstall: ok"
