# cmake/manpages.cmake -- writes the manual pages from the program's own
# help (cmake -DPROG=... -DOUT=DIR -DVERSION=... -P manpages.cmake):
# skillbook.1 from `skillbook --help`, and skillbook-CMD.1 from
# `skillbook CMD --help` for every command `skillbook --help` lists, so a
# new command has its page without anything to edit here.
function(sb_roff_escape IN OUTVAR)
  string(REPLACE "\\" "\\e" t "${IN}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" t "${t}")
  set(${OUTVAR} "${t}" PARENT_SCOPE)
endfunction()

function(sb_page NAME SUMMARY HELP)
  sb_roff_escape("${HELP}" body)
  string(TOUPPER "${NAME}" up)
  file(WRITE ${OUT}/${NAME}.1.tmp
    ".TH ${up} 1 \"\" \"skillbook ${VERSION}\" \"User Commands\"\n"
    ".SH NAME\n${NAME} \\- ${SUMMARY}\n"
    ".SH DESCRIPTION\n.nf\n${body}\n.fi\n"
    ".SH SEE ALSO\nskillbook(1); README.md and docs/ of the skillbook sources\n")
  configure_file(${OUT}/${NAME}.1.tmp ${OUT}/${NAME}.1 COPYONLY)
  file(REMOVE ${OUT}/${NAME}.1.tmp)
endfunction()

file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${PROG} --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROG} --help failed")
endif()
string(REGEX MATCH "Commands:\n(  [^\n]*\n)+" cmds "${top}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*  *[^\n]*" lines "${cmds}")
set(see "")
foreach(line ${lines})
  string(REGEX REPLACE "^\n  ([a-z][a-z-]*)  *(.*)$" "\\1" cmd "${line}")
  string(REGEX REPLACE "^\n  ([a-z][a-z-]*)  *(.*)$" "\\2" summary "${line}")
  execute_process(COMMAND ${PROG} ${cmd} --help OUTPUT_VARIABLE help)
  sb_page(skillbook-${cmd} "${summary}" "${help}")
  string(APPEND see "skillbook-${cmd}(1) ")
endforeach()
sb_page(skillbook "skills catalogue to PDF handbooks, sheets and profiles"
        "${top}\nSee also: ${see}")
