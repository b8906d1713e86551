# Turns a file (text or binary) into C: const char NAME[] = {...}; (with a
# NUL added after the bytes) and const unsigned long NAME_len (the bytes).
file(READ ${IN} HEX HEX)
string(LENGTH "${HEX}" HEXLEN)
math(EXPR LEN "${HEXLEN} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BODY "${HEX}")
file(WRITE ${OUT} "/* generated from ${IN} */\nconst char ${NAME}[] = {${BODY}0x00};\nconst unsigned long ${NAME}_len = ${LEN}ul;\n")
