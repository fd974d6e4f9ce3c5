#!/bin/sh
# Switches the live course site between releases, on the host that serves it.
#
#   sh release.sh activate TARGET ID KEEP   make releases/ID live (its files are
#                                           already in releases/.incoming-ID or releases/ID)
#   sh release.sh rollback TARGET           make the release that was live before this one live again
#   sh release.sh status TARGET             print the live release and the history
#
# TARGET holds releases/<id>/ (one folder per release), current -> releases/<id>
# (what the web server serves) and history (ids made live, oldest first).
# Every switch is one rename(2) of a symlink, so a reader sees the old release
# or the new one, never a mix and never nothing. Messages are for the
# administrator who runs the publish, in Chinese.
set -eu

fail() {  # publish.py puts "发布失败：" before it
    echo "$*" >&2
    exit 1
}

# Replace a file by writing a sibling and renaming it over: never half-written.
write_atomically() {  # path, content on stdin
    cat > "$1.new.$$"
    mv -f "$1.new.$$" "$1"
}

switch_to() {  # id
    ln -sfn "releases/$1" "current.new.$$"
    mv -T "current.new.$$" current
}

live_release() {
    if [ -L current ]; then basename "$(readlink current)"; fi
}

activate() {
    id=$1 keep=$2
    case $id in ''|.*|*/*) fail "发布编号“$id”不合法。" ;; esac
    case $keep in ''|*[!0-9]*|0) fail "保留的版本数“$keep”应为正整数。" ;; esac
    if [ ! -d "releases/$id" ]; then
        [ -d "releases/.incoming-$id" ] || fail "找不到待发布的文件 releases/.incoming-$id。"
        [ -f "releases/.incoming-$id/index.html" ] || fail "待发布的文件不完整（缺少 index.html），线上站点未改动。"
        mv "releases/.incoming-$id" "releases/$id"
    fi
    rm -rf "releases/.incoming-$id"
    if [ "$(live_release)" != "$id" ]; then
        switch_to "$id"
    fi
    last=$(tail -n 1 history 2>/dev/null || true)
    if [ "$last" != "$id" ]; then
        { cat history 2>/dev/null || true; echo "$id"; } | write_atomically history
    fi
    prune "$keep"
    echo "已上线：$id"
}

# Keep the KEEP releases made live most recently (the live one among them);
# delete the other release folders and any incoming folder left by a publish
# that was interrupted.
prune() {
    keep=$1
    kept=$(awk '{ seen[NR] = $0 } END { n = 0; for (i = NR; i >= 1 && n < '"$keep"'; i--) if (!(seen[i] in done)) { done[seen[i]] = 1; print seen[i]; n++ } }' history)
    live=$(live_release)
    for dir in releases/* releases/.incoming-*; do
        [ -e "$dir" ] || continue
        name=$(basename "$dir")
        [ "$name" = "$live" ] && continue
        if ! printf '%s\n' "$kept" | grep -qxF "$name"; then
            rm -rf "$dir"
        fi
    done
    awk -v kept="$(printf '%s\n' "$kept" | tr '\n' ' ')" 'BEGIN { split(kept, k, " "); for (i in k) keep[k[i]] = 1 } ($0 in keep)' history | write_atomically history
}

rollback() {
    [ -s history ] || fail "还没有发布记录，无法回滚。"
    live=$(live_release)
    # Drop the live release's entries from the end, then go to the one before.
    previous=$(awk -v live="$live" '{ line[NR] = $0 } END { n = NR; while (n > 0 && line[n] == live) n--; for (; n > 0; n--) if (line[n] != live) { print line[n]; exit } }' history)
    [ -n "$previous" ] || fail "没有更早的版本可以回滚（线上：${live:-无}）。"
    [ -d "releases/$previous" ] || fail "上一个版本 $previous 的文件已被清理，无法回滚。"
    switch_to "$previous"
    awk -v live="$live" '{ line[NR] = $0 } END { n = NR; while (n > 0 && line[n] == live) n--; for (i = 1; i <= n; i++) print line[i] }' history | write_atomically history
    echo "已回滚：$live → $previous"
}

status() {
    echo "线上版本：$(live_release)"
    echo "发布记录（旧 → 新）："
    cat history 2>/dev/null || true
}

command=${1:-}
target=${2:-}
[ -n "$target" ] || fail "用法：sh release.sh activate|rollback|status 目标目录 [...]"
mkdir -p "$target/releases"
cd "$target"
case $command in
    activate) activate "${3:-}" "${4:-}" ;;
    rollback) rollback ;;
    status) status ;;
    *) fail "未知操作“$command”：应为 activate、rollback 或 status。" ;;
esac
