# bash completion for skillbook -- installed as
# share/bash-completion/completions/skillbook.
#
# Commands come from `skillbook --help`, each command's options from
# `skillbook CMD --help`, and the ids after --role, --from, --to and
# --skill from `skillbook list roles|levels|skills CATALOG`, CATALOG being
# the first argument of the command line that is a file or folder (else the
# bundled catalogue).

_skillbook_catalog() {
  local i w prev=""
  for ((i = 2; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $prev in
      -o|--output|--style|--lang|--limit|--format|--page|--dpi|-j|--role|\
      --from|--to|--skill|--person|--reviewer|--layout|--shard|--log-format)
        prev=$w; continue ;;
    esac
    if [[ $w != -* && -e $w ]]; then
      printf '%s\n' "$w"
      return
    fi
    prev=$w
  done
}

_skillbook() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local prog=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]:-} kind="" cat
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "$("$prog" --help 2>/dev/null |
      sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p') --help --version" -- "$cur"))
    return
  fi
  case $prev in
    --role) kind=roles ;;
    --from|--to) kind=levels ;;
    --skill) kind=skills ;;
    --format) COMPREPLY=($(compgen -W "pdf png trace csv json text" -- "$cur")); return ;;
    --layout) COMPREPLY=($(compgen -W "long wide" -- "$cur")); return ;;
    --style) COMPREPLY=($(compgen -W "default letter ink-saver branded" -- "$cur")
                        $(compgen -f -- "$cur")); return ;;
    -o|--output|--catalog) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ -n $kind ]]; then
    cat=$(_skillbook_catalog)
    COMPREPLY=($(compgen -W "$("$prog" list "$kind" ${cat:+"$cat"} 2>/dev/null |
      cut -f1)" -- "$cur"))
    return
  fi
  if [[ $cmd == list && COMP_CWORD -eq 2 ]]; then
    COMPREPLY=($(compgen -W "roles levels skills" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("$prog" "$cmd" --help 2>/dev/null |
      grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
    return
  fi
  if [[ $cmd == collect ]]; then
    # filled packs: PDF files and the folders that may hold them
    COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X '!*.[pP][dD][fF]' -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _skillbook skillbook
