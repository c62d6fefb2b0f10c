#!/bin/sh
# debian/gen-preinst.sh TEMPLATE PKGROOT: print TEMPLATE with the line
# #PACKAGED_CONFFILES# replaced by a shell function that prints the
# packaged version of each conffile in PKGROOT (see pptpd-rrp.preinst.in),
# and check that the function reproduces every file byte for byte.
set -eu
template=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	echo 'packaged_conffile() {'
	echo '	case "$1" in'
	for f in /etc/pptpd.conf /etc/ppp/pptpd-options /etc/default/pptpd; do
		[ -f "$root$f" ] || { echo "gen-preinst: $root$f missing" >&2; exit 1; }
		if grep -qx 'PPTPD_RRP_CONFFILE_END' "$root$f" ||
		   [ -n "$(tail -c 1 "$root$f")" ]; then
			echo "gen-preinst: $f cannot be embedded (delimiter line, or no final newline)" >&2
			exit 1
		fi
		echo "	$f) cat <<'PPTPD_RRP_CONFFILE_END'"
		cat "$root$f"
		echo 'PPTPD_RRP_CONFFILE_END'
		echo '		;;'
	done
	echo '	esac'
	echo '}'
} > "$tmp/func"

. "$tmp/func"
for f in /etc/pptpd.conf /etc/ppp/pptpd-options /etc/default/pptpd; do
	packaged_conffile "$f" | cmp -s - "$root$f" ||
		{ echo "gen-preinst: the embedded $f differs from $root$f" >&2; exit 1; }
done

awk -v func="$tmp/func" '
	$0 == "#PACKAGED_CONFFILES#" { while ((getline l < func) > 0) print l; next }
	{ print }' "$template"
