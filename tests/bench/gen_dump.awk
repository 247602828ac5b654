# A synthetic meliae-format dump of N objects (awk -v n=N -f gen_dump.awk):
# a module holding a list of records, each record an instance of Record whose
# __dict__ holds a str, an int and a small tuple, like a leaking service. The
# shape (a fifth dicts, long chains of references) is close to real dumps;
# the point is to show that loading grows linearly with the dump.
BEGIN {
    if (n < 100) n = 100
    base = 140000000000000
    type_addr = base - 64
    printf "{\"address\": %.0f, \"type\": \"type\", \"size\": 1072, \"name\": \"Record\", \"refs\": []}\n", type_addr
    records = int((n - 4) / 6)
    list_addr = base - 128
    dict_addr = base - 192
    printf "{\"address\": %.0f, \"type\": \"module\", \"size\": 72, \"name\": \"__main__\", \"refs\": [%.0f]}\n", base - 256, dict_addr
    printf "{\"address\": %.0f, \"type\": \"dict\", \"size\": 232, \"len\": 2, \"refs\": [%.0f, %.0f]}\n", dict_addr, list_addr, type_addr
    printf "{\"address\": %.0f, \"type\": \"list\", \"size\": %.0f, \"len\": %.0f, \"refs\": [", list_addr, 56 + 8 * records, records
    for (i = 0; i < records; i++)
        printf "%s%.0f", (i ? ", " : ""), base + i * 512
    printf "]}\n"
    for (i = 0; i < records; i++) {
        a = base + i * 512
        printf "{\"address\": %.0f, \"type\": \"Record\", \"size\": 56, \"refs\": [%.0f, %.0f]}\n", a, a + 64, type_addr
        printf "{\"address\": %.0f, \"type\": \"dict\", \"size\": 232, \"len\": 3, \"refs\": [%.0f, %.0f, %.0f]}\n", a + 64, a + 128, a + 192, a + 256
        printf "{\"address\": %.0f, \"type\": \"str\", \"size\": 60, \"len\": 11, \"value\": \"record-%05d\", \"refs\": []}\n", a + 128, i % 100000
        printf "{\"address\": %.0f, \"type\": \"int\", \"size\": 28, \"value\": %.0f, \"refs\": []}\n", a + 192, i
        printf "{\"address\": %.0f, \"type\": \"tuple\", \"size\": 56, \"len\": 2, \"refs\": [%.0f, %.0f]}\n", a + 256, a + 320, a + 128
        printf "{\"address\": %.0f, \"type\": \"float\", \"size\": 24, \"refs\": []}\n", a + 320
    }
}
