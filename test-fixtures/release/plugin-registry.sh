#!/bin/sh
# Writes what a Gitblit plugin registry serves for one release of the plugin, next to the zip:
#   <zip>.sha1     the zip's SHA-1 (Gitblit's PluginManager downloads <url>.sha1 and refuses a zip that differs;
#                  without it `plugin install` fails unless the admin adds --noverify)
#   <zip>.md5      the zip's MD5 (Gitblit's fallback when there is no .sha1)
#   plugins.json   a registry (Gitblit's PluginRegistry JSON) with this plugin's registration and this release:
#                  serve it beside the zip and point plugins.registry at it, or merge the registration into an
#                  existing registry.
#
# usage: plugin-registry.sh ZIP PLUGIN_PROPERTIES [base-url=URL] [project-url=URL]
#   base-url     where the zip will be downloaded from (the release's folder); empty or absent: ${self}, which
#                Gitblit replaces with the folder the registry file itself was downloaded from (`plugin refresh`)
#   project-url  shown by `plugin show`; default empty
# The release date is SOURCE_DATE_EPOCH when set (reproducible builds), else now. Gitblit offers the release with
# the latest date whose "requires" the server meets.
set -eu

zip=$1
props=$2
shift 2
base=
project=
for option in "$@"; do
    case $option in
        base-url=*) base=${option#base-url=} ;;
        project-url=*) project=${option#project-url=} ;;
        *) echo "plugin-registry.sh: unknown option $option" >&2; exit 2 ;;
    esac
done
[ -n "$base" ] || base='${self}'
base=${base%/}

[ -f "$zip" ] || { echo "plugin-registry.sh: no zip at $zip" >&2; exit 1; }
[ -f "$props" ] || { echo "plugin-registry.sh: no plugin descriptor at $props" >&2; exit 1; }

prop() {
    # the value of key $1 in plugin.properties (no continuation lines there)
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$props" | tail -n 1 | sed 's/[[:space:]]*$//'
}

json() {
    # a JSON string literal
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

id=$(prop plugin.id)
version=$(prop plugin.version)
requires=$(prop plugin.requires)
description=$(prop plugin.description)
provider=$(prop plugin.provider)
[ -n "$id" ] && [ -n "$version" ] || { echo "plugin-registry.sh: plugin.id or plugin.version missing in $props" >&2; exit 1; }

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
    date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi

dir=$(dirname "$zip")
name=$(basename "$zip")
sha1=$(sha1sum "$zip" | cut -d' ' -f1)
printf '%s\n' "$sha1" > "$zip.sha1"
md5sum "$zip" | cut -d' ' -f1 > "$zip.md5"

cat > "$dir/plugins.json" <<JSON
{
    "name": $(json "$id releases"),
    "registrations": [
        {
            "id": $(json "$id"),
            "description": $(json "$description"),
            "provider": $(json "$provider"),
            "projectUrl": $(json "$project"),
            "releases": [
                {
                    "version": $(json "$version"),
                    "date": $(json "$date"),
                    "requires": $(json "$requires"),
                    "url": $(json "$base/$name")
                }
            ]
        }
    ]
}
JSON
echo "plugin-registry.sh: $dir/plugins.json ($id $version, $base/$name, sha1 $sha1)"
