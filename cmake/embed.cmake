# Turns a text file into a C array: const char NAME[] = {...};
file(READ ${IN} HEX HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BODY "${HEX}")
file(WRITE ${OUT} "/* generated from ${IN} */\nconst char ${NAME}[] = {${BODY}0x00};\n")
