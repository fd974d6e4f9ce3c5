#!/bin/sh
# Switches the live course site between releases, on the host that serves it.
# publish.py pipes this script to `sh -s` there (over SSH, or here for a local target).
#
#   sh -s -- publish TARGET ID KEEP WAIT   a session: lock the target, print "ready FOLDER",
#                                          then read one line. "go" once publish.py has copied
#                                          the files into releases/FOLDER: make them live as
#                                          releases/ID and keep the KEEP newest releases.
#                                          Anything else, or the end of input (the publish
#                                          stopped or was killed): remove the copy.
#   sh -s -- rollback TARGET WAIT          make the newest earlier release that still exists live
#   sh -s -- status TARGET                 print the live release and the history
#
# TARGET holds releases/<id>/ (one folder per release), current -> releases/<id>
# (what the web server serves), history (ids made live, oldest first) and
# .publish.lock. A publish holds the lock from before its copy until after
# pruning, a rollback for its switch: two runs never overlap, and a run waits
# at most WAIT seconds for another to end. flock(1) locks die with their holder
# (the kernel releases them), so a killed run never leaves the target locked.
# Every switch is one rename(2) of a symlink, so a reader sees the old release
# or the new one, never a mix and never nothing; whatever can fail (room for
# the new history, the new symlink) is done before it. Messages are for the
# administrator who runs the publish, in Chinese.
set -eu

LOCK=.publish.lock

fail() {  # publish.py puts "发布失败：" before it
    echo "$*" >&2
    exit 1
}

# After the switch nothing is undone: the new release is live, and any later
# problem is reported as such (exit 3) instead of as a failed publish.
problems=
warn() {
    problems="$problems$*
"
}

# This run's temporary names, removed however it ends.
incoming=
unswitched=
cleanup() {
    rm -f "current.new.$$" "history.new.$$"
    if [ -n "$incoming" ]; then rm -rf "releases/$incoming"; fi
    if [ -n "$unswitched" ]; then rm -rf "releases/$unswitched"; fi
}

live_release() {
    if [ -L current ]; then basename "$(readlink current)"; fi
}

check_current() {
    if [ -e current ] && [ ! -L current ]; then
        fail "$target/current 是普通的文件夹或文件，不是指向 releases/ 下某个版本的符号链接，发布命令不会覆盖它。线上站点未改动。请先把它移走（例如 mv current current.old），再重新发布。"
    fi
}

check_wait() {
    case $1 in ''|*[!0-9]*) fail "等待时间“$1”应为不小于 0 的整数（秒）。" ;; esac
}

# Take the target's lock, waiting at most $1 seconds for whoever holds it.
lock() {
    command -v flock >/dev/null 2>&1 ||
        fail "主机上没有 flock 命令（util-linux 软件包提供），无法保证两次发布不同时进行。线上站点未改动。请先安装 util-linux。"
    # Checked in a subshell: a failed redirection of exec would end this shell with its own words.
    if [ ! -e "$LOCK" ] && ! ( : >>"$LOCK" ) 2>/dev/null; then
        fail "无法创建锁文件 $target/$LOCK：部署账号对发布目录要有写权限。线上站点未改动。"
    fi
    # Read access is enough for flock: an administrator and the CI account can share the file.
    [ -r "$LOCK" ] || fail "无法读取锁文件 $target/$LOCK：请让部署账号能读它。线上站点未改动。"
    exec 9<"$LOCK"
    flock -w "$1" 9 ||
        fail "另一次发布或回滚正在进行（锁文件 $target/$LOCK 被占用），等待 $1 秒后仍未结束。线上站点未改动。请稍后重试，或用 --wait 秒数（环境变量 PUBLISH_LOCK_WAIT）等得更久。"
}

# The new history ($2) and the new symlink are written first; then one rename
# makes releases/$1 live. Before it, a failure leaves the site as it was.
switch_to() {  # id, history
    # cat, not the printf builtin: it names the cause (No space left on device).
    if ! problem=$(printf '%s\n' "$2" | cat 2>&1 > "history.new.$$"); then
        fail "写入发布记录 history 失败（${problem:-原因不明}）：发布目录所在的磁盘可能已满。线上站点未改动。请腾出空间后重试。"
    fi
    if ! problem=$(ln -sfn "releases/$1" "current.new.$$" 2>&1); then
        fail "创建指向新版本的符号链接失败（$problem）：发布目录所在的磁盘可能已满。线上站点未改动。"
    fi
    if [ -n "$incoming" ]; then
        mv "releases/$incoming" "releases/$1" || fail "无法把复制好的文件改名为 releases/$1。线上站点未改动。"
        incoming= unswitched=$1
    fi
    mv -T "current.new.$$" current || fail "切换 current 失败。线上站点未改动。"
    unswitched=
    mv -f "history.new.$$" history || warn "发布记录 history 没能更新，回滚可能回不到正确的版本。请检查发布目录所在的磁盘。"
}

# Keep the releases the history still names (the live one always); remove the rest.
prune() {
    live=$(live_release)
    for dir in releases/*; do
        [ -d "$dir" ] || continue
        name=${dir#releases/}
        [ "$name" = "$live" ] && continue
        grep -qxF "$name" history 2>/dev/null && continue
        rm -rf "$dir" || warn "旧版本 $dir 没能删除，请手工删除。"
    done
}

# Copies that a stopped or killed publish left: every copy is made under the
# lock, so while we hold it none of them is anybody's work in progress.
sweep_incoming() {
    for dir in releases/.incoming-*; do
        if [ -e "$dir" ]; then rm -rf "$dir" 2>/dev/null || true; fi
    done
}

check_publish() {  # id keep wait: before the target is made
    case $1 in ''|.*|*[!A-Za-z0-9._-]*) fail "发布编号“$1”不合法。" ;; esac
    case $2 in ''|*[!0-9]*|0) fail "保留的版本数“$2”应为正整数。" ;; esac
    check_wait "$3"
}

publish() {
    id=$1 keep=$2
    check_current
    lock "$3"
    check_current
    sweep_incoming
    incoming=".incoming-$id.$$"
    mkdir "releases/$incoming" || fail "无法在 $target/releases 中创建临时目录。线上站点未改动。"
    echo "ready $incoming"
    answer=
    read -r answer || true
    [ "$answer" = go ] || exit 1  # publish.py has said why; cleanup removes the copy
    [ -f "releases/$incoming/index.html" ] || fail "待发布的文件不完整（缺少 index.html），线上站点未改动。"
    if [ -d "releases/$id" ]; then
        # The same site again: the release it already is stays as it is.
        rm -rf "releases/$incoming"
        incoming=
    fi
    last=$(tail -n 1 history 2>/dev/null || true)
    # History after this publish: this id at the end, trimmed to the KEEP newest releases.
    history=$( { cat history 2>/dev/null || true; [ "$last" = "$id" ] || echo "$id"; } |
        awk -v keep="$keep" '$0 != "" { line[++n] = $0 }
            END {
                for (i = n; i >= 1 && kept < keep; i--) if (!(line[i] in chosen)) { chosen[line[i]] = 1; kept++ }
                for (i = 1; i <= n; i++) if (line[i] in chosen) print line[i]
            }')
    if [ -z "$incoming" ] && [ "$(live_release)" = "$id" ] && [ "$history" = "$(cat history 2>/dev/null || true)" ]; then
        echo "已上线：$id（与线上版本相同，未改动）"
        return
    fi
    switch_to "$id" "$history"
    echo "已上线：$id"
    prune
}

rollback() {
    check_wait "$1"
    check_current
    lock "$1"
    check_current
    [ -s history ] || fail "还没有发布记录，无法回滚。"
    live=$(live_release)
    # Newest first; the live release's entries and releases deleted by hand are passed over.
    chosen= line= skipped=
    entries=$(awk '{ line[NR] = NR ":" $0 } END { for (i = NR; i >= 1; i--) print line[i] }' history)
    while read -r entry; do
        name=${entry#*:}
        [ -n "$name" ] && [ "$name" != "$live" ] || continue
        if [ -d "releases/$name" ]; then
            chosen=$name line=${entry%%:*}
            break
        fi
        case " $skipped " in *" $name "*) ;; *) skipped="${skipped:+$skipped }$name" ;; esac
    done <<EOF
$entries
EOF
    [ -n "$chosen" ] || fail "没有更早的版本可以回滚（线上：${live:-无}${skipped:+；文件已不存在的版本：$skipped}）。线上站点未改动。"
    switch_to "$chosen" "$(head -n "$line" history)"
    echo "已回滚：${live:-无} → $chosen${skipped:+（跳过了文件已不存在的版本：$skipped）}"
}

status() {
    live=$(live_release)
    if [ -e current ] && [ ! -L current ]; then
        echo "线上版本：current 是普通的文件夹，不是发布命令管理的版本"
    elif [ -z "$live" ]; then
        echo "线上版本：无"
    elif [ ! -d "releases/$live" ]; then
        echo "线上版本：$live——它的文件夹 releases/$live 不存在，网站现在打不开！请运行 python3 run.py rollback 回到还在的版本，或重新发布。"
    else
        echo "线上版本：$live"
    fi
    if [ -e "$LOCK" ] && command -v flock >/dev/null 2>&1 && ! flock -s -n "$LOCK" true 2>/dev/null; then
        echo "另一次发布或回滚正在进行。"
    fi
    echo "发布记录（旧 → 新）："
    if [ -f history ]; then
        while read -r name; do
            if [ -d "releases/$name" ]; then echo "$name"; else echo "$name（文件已不存在）"; fi
        done < history
    fi
}

# Only a publish makes the target; rollback and status never create a mistyped one.
open_target() {  # "create", or nothing
    create=${1:-}
    if [ "$create" = create ]; then
        mkdir -p "$target/releases" || fail "无法创建发布目录 $target。线上站点未改动。"
    elif [ ! -d "$target" ]; then
        fail "发布目录 $target 不存在。请检查 --target 或环境变量 PUBLISH_TARGET 是否写错。"
    fi
    cd "$target"
    if [ "$create" != create ] && [ ! -d releases ] && [ ! -e history ] && [ ! -L current ]; then
        fail "$target 不是发布目录（其中没有 releases/、current 和 history）。请检查 --target 或环境变量 PUBLISH_TARGET 是否写错。"
    fi
    trap cleanup EXIT
    trap 'exit 1' HUP INT TERM PIPE
}

main() {
    command=${1:-}
    target=${2:-}
    [ -n "$target" ] || fail "用法：sh release.sh publish|rollback|status 目标目录 [...]"
    case $command in
        publish) check_publish "${3:-}" "${4:-}" "${5:-}"; open_target create; publish "$3" "$4" "$5" ;;
        rollback) open_target; rollback "${3:-}" ;;
        status) open_target; status ;;
        *) fail "未知操作“$command”：应为 publish、rollback 或 status。" ;;
    esac
    if [ -n "$problems" ]; then
        printf '注意：线上已经是上面这个版本，但是：\n%s' "$problems" >&2
        exit 3
    fi
}

# The last line, with nothing after it: a shell reading this script from stdin runs
# main as soon as it has read this line, and what follows on stdin is publish.py's answer.
main "$@"
