"""How much one exercise file may hold, so that no file can make a check hang or run out of memory.

The course's largest file is 45 KB: 24 exercises, 923 YAML values, nested 5
deep. Each limit is ten or more times that, and a bank may have any number
of files. The value limit bounds the time too: the slowest file within it
(every value a broken exercise, 40,000 problems) is checked in about 2 s.
"""

# Bytes read from one file, at most; a larger file is refused, and no more than this of it is read.
MAX_FILE_BYTES = 1024 * 1024

# Lists and mappings inside one another: an exercise needs 5, deeper is a stray [ or a broken indent.
MAX_DEPTH = 50

# Values in one file (each text, number, list and mapping counts one): about 260 exercises.
MAX_NODES = 10_000
