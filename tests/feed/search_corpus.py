"""A fixed corpus of KIM posts from Jawa Tengah and the queries readers type, with the posts each query
must find in its first ten results and those it must not: the relevance test set of the search
(tests/feed/test_search_relevance.py measures recall and precision at 10 on it).

Communities: two of the test world (KIM Kraton Kidul in Kota Pekalongan, KIM Tembalang in Kota
Semarang) and four more, each in its own kabupaten.
"""

from typing import NamedTuple


class Place(NamedTuple):
    name: str
    regency_code: str
    address: str  # where the desa or kelurahan is written


# The keys "kraton" and "tembalang" are the test world's communities; their address is set here.
COMMUNITIES = {
    "kraton": Place("KIM Kraton Kidul", "33.75", "Kelurahan Kraton Kidul, Kecamatan Pekalongan Barat"),
    "tembalang": Place("KIM Tembalang", "33.74", "Kelurahan Tembalang, Kecamatan Tembalang"),
    "kedungwuni": Place("KIM Sido Rukun", "33.26", "Desa Kedungwuni Timur, Kecamatan Kedungwuni"),
    "limpung": Place("KIM Guyub Rukun", "33.25", "Desa Kalisalak, Kecamatan Limpung"),
    "dieng": Place("KIM Dieng Makmur", "33.07", "Desa Sembungan, Kecamatan Kejajar"),
    "klaten": Place("KIM Srikandi Jimbung", "33.10", "Desa Jimbung, Kecamatan Kalikotes"),
}


class Doc(NamedTuple):
    key: str
    community: str
    title: str
    body: str
    place: str = ""  # the place of activity
    tags: tuple[str, ...] = ()


DOCS = [
    Doc("p01", "kraton", "Penanaman 500 bibit mangrove di pesisir Pekalongan",
        "Warga bersama pelajar menanam bibit mangrove untuk menahan abrasi. Penanaman dipimpin lurah.",
        "Pantai Pasir Kencana", ("lingkungan",)),
    Doc("p02", "limpung", "Petani Kalisalak mulai tanam padi musim rendeng",
        "Sawah yang ditanami padi varietas Inpari diairi dari embung desa.", "Sawah Dusun Krajan"),
    Doc("p03", "dieng", "Tanaman kentang diserang hama, petani diminta waspada",
        "Penyuluh pertanian memberikan penyuluhan pengendalian hama pada tanaman kentang di lereng Dieng."),
    Doc("p04", "tembalang", "Kerja bakti membersihkan saluran air",
        "Warga RW 03 melakukan kerja bakti membersihkan selokan menjelang musim hujan.", "Balai RW 03"),
    Doc("p05", "kedungwuni", "Kerja-bakti bersih desa menyambut Agustusan",
        "Kegiatan kerja-bakti diikuti pemuda karang taruna. Mereka bersih-bersih makam dan jalan desa."),
    Doc("p06", "klaten", "Gotong royong memperbaiki jembatan bambu",
        "Warga bergotong royong memperbaiki jembatan yang rusak diterjang banjir kiriman."),
    Doc("p07", "limpung", "Semangat gotong-royong membangun mushola",
        "Pembangunan mushola dikerjakan secara gotong-royong oleh warga dan para perantau."),
    Doc("p08", "kraton", "Posyandu balita: penimbangan dan imunisasi",
        "Kader posyandu menimbang anak-anak balita dan memberikan vitamin A. Ibu-ibu antusias datang.",
        "Posyandu Melati", ("kesehatan",)),
    Doc("p09", "tembalang", "Pemeriksaan kesehatan gratis untuk lansia",
        "Puskesmas Rowosari memeriksa tekanan darah para lansia. Kesehatan warga lanjut usia menjadi "
        "perhatian."),
    Doc("p10", "dieng", "Festival budaya Dieng dan ruwatan anak gimbal",
        "Ritual ruwatan rambut gimbal menjadi puncak Dieng Culture Festival. Wisatawan memadati kompleks "
        "candi.", "Kompleks Candi Arjuna"),
    Doc("p11", "klaten", "Pelatihan membatik untuk ibu-ibu PKK",
        "Ibu-ibu PKK berlatih membatik tulis dengan motif khas Klaten. Pelatih dari sanggar batik setempat."),
    Doc("p12", "kraton", "Batik Pekalongan tembus pasar ekspor",
        "Perajin batik di Kraton Kidul mengekspor kain batik ke Malaysia. Pemasaran dibantu lewat media "
        "sosial.", tags=("batik", "umkm")),
    Doc("p13", "kedungwuni", "Pemberdayaan UMKM lewat pelatihan pemasaran daring",
        "Dinas Koperasi memberdayakan pelaku usaha kecil dengan pelatihan berjualan di lokapasar."),
    Doc("p14", "tembalang", "Penghijauan bantaran sungai Kali Garang",
        "Relawan menghijaukan bantaran sungai dengan pohon trembesi. Tepian yang hijau mengurangi erosi.",
        "Bantaran Kali Garang"),
    Doc("p15", "kraton", "Normalisasi sungai Loji cegah banjir rob",
        "Pemkot Pekalongan mengeruk endapan lumpur di sungai Loji. Banjir rob sering menggenangi "
        "permukiman.", "Sungai Loji"),
    Doc("p16", "limpung", "Sayur-mayur hasil pekarangan dijual di pasar desa",
        "Kelompok wanita tani menjual sayur mayur dari pekarangan: bayam, kangkung, dan terong."),
    Doc("p17", "dieng", "Panen carica melimpah, dijadikan manisan",
        "Buah carica khas Dieng diolah menjadi manisan dan dijual kepada wisatawan. Pengolahan dilakukan "
        "di rumah produksi."),
    Doc("p18", "klaten", "Anak-anak belajar menari di sanggar desa",
        "Setiap Minggu, anak-anak Jimbung belajar tari tradisional. Sanggar menyediakan gamelan."),
    Doc("p19", "tembalang", "Pentas seni anak di balai RW",
        "Anak-anak menampilkan tari, puisi, dan paduan suara di depan orang tua."),
    Doc("p20", "kedungwuni", "Sedekah bumi dan kirab budaya",
        "Warga menggelar sedekah bumi sebagai ungkapan syukur atas panen. Kirab gunungan diarak keliling "
        "desa."),
    Doc("p21", "limpung", "Merti desa, tradisi bersih desa di Kalisalak",
        "Tradisi merti desa diisi kenduri, tayuban, dan pengajian. Wong sak desa guyub rukun."),
    Doc("p22", "dieng", "Longsor tutup jalan Dieng-Wonosobo",
        "Hujan deras menyebabkan tanah longsor. Jalan tertutup material dan petugas BPBD "
        "membersihkannya."),
    Doc("p23", "klaten", "Keamanan lingkungan: ronda malam digiatkan lagi",
        "Pos ronda dihidupkan kembali untuk menjaga keamanan kampung setelah pencurian sepeda motor."),
    Doc("p24", "kraton", "Pencurian kotak amal di masjid terekam CCTV",
        "Pelaku pencurian terekam kamera. Takmir meminta jamaah waspada."),
    Doc("p25", "tembalang", "Fogging dan PSN cegah demam berdarah",
        "Pemberantasan sarang nyamuk dilakukan serentak. Jentik-jentik nyamuk ditemukan di bak mandi."),
    Doc("p26", "kedungwuni", "Pemilihan kepala desa berlangsung tertib",
        "Pilkades diikuti tiga calon. Calon yang terpilih menjadi kades akan dilantik bulan depan."),
    Doc("p27", "limpung", "Kades Kalisalak terpilih kembali",
        "Kepala desa petahana terpilih dengan suara terbanyak dalam pemilihan."),
    Doc("p28", "dieng", "Pelatihan pemandu wisata Telaga Warna",
        "Pemuda desa dilatih menjadi pemandu wisata. Kursus bahasa Inggris dasar juga diberikan.",
        "Telaga Warna"),
    Doc("p29", "klaten", "Umbul Ponggok ramai dikunjungi saat libur",
        "Wisata air Umbul Ponggok dikunjungi ribuan orang. Pengelola BUMDes menambah petugas keamanan.",
        "Umbul Ponggok"),
    Doc("p30", "tembalang", "Lomba kebersihan kampung antar-RW",
        "Kampung terbersih mendapat hadiah. Penilaian meliputi kebersihan selokan dan taman."),
    Doc("p31", "kraton", "Penyuluhan bahaya narkoba bagi pelajar",
        "Petugas BNN memberi penyuluhan kepada siswa SMP tentang bahaya narkoba."),
    Doc("p32", "kedungwuni", "Pengobatan gratis dan donor darah",
        "Sebanyak 120 warga mendonorkan darah. Pengobatan gratis melayani keluhan pegal linu."),
    Doc("p33", "limpung", "Irigasi baru mengairi 50 hektare sawah",
        "Saluran irigasi selesai dibangun dan kini mengairi sawah petani di tiga dusun."),
    Doc("p34", "dieng", "Embun upas turun, petani kentang merugi",
        "Suhu di bawah nol derajat membuat embun beku merusak daun kentang."),
    Doc("p35", "klaten", "Jalan desa rusak, warga tanam pohon pisang",
        "Sebagai bentuk protes, warga menanami lubang jalan dengan pohon pisang."),
    Doc("p36", "tembalang", "Pembangunan jalan lingkungan dengan paving",
        "Dana kelurahan dipakai membangun jalan paving sepanjang 300 meter."),
    Doc("p37", "kraton", "Pasar Banjarsari direnovasi",
        "Renovasi pasar ditargetkan selesai sebelum Lebaran. Pedagang dipindahkan sementara."),
    Doc("p38", "kedungwuni", "Pedagang kaki lima di alun-alun ditata",
        "Para pedagang dipindahkan ke lokasi yang lebih tertata.", "Alun-alun Kajen"),
    Doc("p39", "limpung", "Kupatan, tradisi sepekan setelah Lebaran",
        "Warga saling berbagi kupat dan lepet. Kupatan menjadi ajang silaturahmi."),
    Doc("p40", "dieng", "Petani Sembungan mengolah kentang menjadi keripik",
        "Keripik kentang produksi kelompok wanita tani dipasarkan ke Wonosobo dan Yogyakarta."),
    Doc("p41", "klaten", "Kelompok ternak bebek petelur",
        "Peternak bebek di Jimbung menjual telur asin. Beternak bebek menjadi penghasilan tambahan."),
    Doc("p42", "tembalang", "Mahasiswa KKN membantu bimbingan belajar",
        "Mahasiswa mengajari anak-anak matematika dan bahasa Inggris setiap sore di balai RW."),
    Doc("p43", "kraton", "Pelatihan daur ulang sampah plastik",
        "Bank sampah mengolah sampah plastik menjadi tas dan dompet. Nasabah mendapat tabungan."),
    Doc("p44", "kedungwuni", "Bank sampah Sido Rukun raup jutaan rupiah",
        "Nasabah menabung sampah anorganik. Hasil penjualan dibagikan tiap bulan."),
    Doc("p45", "limpung", "Warga keluhkan lampu jalan padam",
        "Lampu penerangan jalan umum di Jalan Raya Limpung padam sejak sepekan. Warga meminta perbaikan."),
    Doc("p46", "dieng", "Sekolah lapang iklim untuk petani muda",
        "Petani muda mempelajari prakiraan cuaca agar tidak gagal panen."),
    Doc("p47", "klaten", "Dolanan bocah dilestarikan lewat festival",
        "Anak-anak memainkan dolanan tradisional: gobak sodor, egrang, dan cublak-cublak suweng."),
    Doc("p48", "tembalang", "Senam sehat bersama setiap Minggu pagi",
        "Senam aerobik diikuti ibu-ibu dan bapak-bapak di lapangan."),
    Doc("p49", "kraton", "Banjir rob kembali rendam Kraton Kidul",
        "Air pasang merendam rumah warga setinggi lutut. Warga membutuhkan pompa air."),
    Doc("p50", "kedungwuni", "Kebakaran gudang kain di Kedungwuni",
        "Api diduga berasal dari korsleting listrik. Mobil pemadam datang setengah jam kemudian."),
    Doc("p51", "limpung", "Penyaluran bantuan sosial tahap dua",
        "Keluarga penerima manfaat menerima bantuan beras 10 kilogram."),
    Doc("p52", "dieng", "Wisatawan terpesona matahari terbit di Bukit Sikunir",
        "Ribuan pendaki menyaksikan matahari terbit. Pengelola membatasi jumlah pengunjung.",
        "Bukit Sikunir"),
    Doc("p53", "klaten", "Pengajian akbar peringatan Maulid",
        "Pengajian dihadiri ribuan jamaah dari berbagai desa."),
    Doc("p54", "tembalang", "Ronda malam kembali aktif",
        "Bapak-bapak bergiliran berjaga demi keamanan kompleks perumahan."),
    Doc("p55", "kraton", "Pelatihan kader jumantik",
        "Kader juru pemantau jentik dilatih memeriksa bak mandi dan tempat penampungan air."),
    Doc("p56", "kedungwuni", "Lomba masak nasi megono",
        "Megono, masakan khas Pekalongan dari nangka muda, dimasak peserta lomba ibu-ibu PKK."),
    Doc("p57", "limpung", "Pemuda membuat kebun hidroponik",
        "Karang taruna menanam selada dan sawi dengan sistem hidroponik di lahan sempit."),
    Doc("p58", "dieng", "Pemeriksaan kesehatan pendaki Gunung Prau",
        "Petugas basecamp memeriksa kesehatan pendaki sebelum naik."),
    Doc("p59", "klaten", "Perbaikan saluran irigasi",
        "Saluran irigasi diperbaiki agar air sungai mengalir ke sawah.", "Sungai Pusur"),
    Doc("p60", "tembalang", "Posyandu remaja dibentuk",
        "Remaja putri diperiksa kadar hemoglobin dan mendapat tablet tambah darah."),
    Doc("p61", "kraton", "Ngopi bareng lurah bahas kampung batik",
        "Warga ngobrol santai dengan lurah soal penataan Kampung Batik. Omongane gayeng nganti bengi."),
    Doc("p62", "kedungwuni", "Nyadran menjelang Ramadan",
        "Warga nyekar ke makam leluhur lalu kembul bujana bersama."),
    Doc("p63", "limpung", "Penangkaran benih padi unggul",
        "Petani penangkar menghasilkan benih bersertifikat."),
    Doc("p64", "dieng", "Jalan berlubang diperbaiki, akses wisata lancar",
        "Perbaikan jalan menuju kawasan wisata selesai lebih cepat."),
    Doc("p65", "klaten", "Pelantikan pengurus karang taruna",
        "Pengurus baru dilantik camat. Ketua terpilih berjanji menggiatkan olahraga."),
    Doc("p66", "tembalang", "Warga berlatih pemadaman kebakaran",
        "Simulasi memadamkan api dengan karung basah dan APAR."),
    Doc("p67", "kraton", "Pemasangan sumur resapan",
        "Sumur resapan dibangun untuk mengurangi genangan."),
    Doc("p68", "kedungwuni", "Belajar membuat ecoprint",
        "Peserta memukul daun di atas kain sehingga motifnya menempel."),
    Doc("p69", "kraton", "Kelas aksara Jawa untuk pelajar",
        "Pelajar menulis aksara Jawa ꦲꦤꦕꦫꦏ (hanacaraka) di atas kertas."),
    Doc("p70", "dieng", "Kebersihan telaga dijaga relawan",
        "Relawan memungut sampah di tepi Telaga Warna setiap akhir pekan."),
]  # fmt: skip


class Query(NamedTuple):
    text: str
    kind: str  # what it tests
    must: tuple[str, ...]  # relevant: each must be among the first ten results
    must_not: tuple[str, ...] = ()  # close but wrong: none may be among the first ten


TANAM = ("p01", "p02", "p03", "p35", "p57")
LATIH = ("p11", "p13", "p28", "p43", "p55", "p66")
BERSIH = ("p04", "p05", "p21", "p22", "p30", "p70")
PILIH = ("p26", "p27", "p65")
JUAL = ("p13", "p16", "p17", "p41", "p44")
ANAK = ("p08", "p10", "p18", "p19", "p42", "p47")
GOTONG = ("p06", "p07")
KERJA_BAKTI = ("p04", "p05")
KENTANG = ("p03", "p34", "p40")

QUERIES = [
    Query("tanam", "affix", TANAM),
    Query("menanam", "affix", TANAM),
    Query("penanaman", "affix", TANAM),
    Query("pemberdayaan", "affix", ("p13",)),
    Query("penghijauan", "affix", ("p14",)),
    Query("pelatihan", "affix", LATIH),
    Query("berlatih", "affix", LATIH),
    Query("dilatih", "affix", LATIH),
    Query("membersihkan", "affix", BERSIH),
    Query("kebersihan", "affix", BERSIH),
    Query("keamanan", "affix", ("p23", "p29", "p54")),
    Query("terpilih", "affix", PILIH),
    Query("pemilihan kepala desa", "affix", ("p26", "p27")),
    Query("mengairi", "affix", ("p02", "p33")),
    Query("dibangun", "affix", ("p07", "p33", "p36", "p67")),
    Query("pembangunan jalan", "affix", ("p36",)),
    Query("penyuluhan", "affix", ("p03", "p31")),
    Query("memeriksa kesehatan", "affix", ("p09", "p58")),
    Query("pengolahan", "affix", ("p17", "p40", "p43")),
    Query("penjualan", "affix", JUAL),
    Query("berjualan", "affix", JUAL),
    Query("pencurian", "affix", ("p23", "p24")),
    Query("pemasaran", "affix", ("p12", "p13", "p16", "p37", "p40")),
    Query("sawahnya", "affix", ("p02", "p33", "p59")),
    Query("pendakinya", "affix", ("p52", "p58")),
    Query("pengunjungnya", "affix", ("p29", "p52")),
    Query("memperbaiki", "affix", ("p06", "p45", "p59", "p64")),
    Query("dilantik", "affix", ("p26", "p65")),
    Query("kebakaran", "affix", ("p50", "p66")),
    Query("pemadam", "affix", ("p50", "p66")),
    Query("diserang hama", "affix", ("p03",)),
    Query("ditemukan jentik", "affix", ("p25",)),
    Query("pemuda", "affix", ("p05", "p28", "p46", "p57")),
    Query("anak", "reduplication", ANAK),
    Query("anak-anak", "reduplication", ANAK),
    Query("ibu-ibu", "reduplication", ("p08", "p11", "p48", "p56")),
    Query("sayur", "reduplication", ("p16",)),
    Query("sayur-mayur", "reduplication", ("p16",)),
    Query("bersih-bersih", "reduplication", BERSIH),
    Query("bapak-bapak", "reduplication", ("p48", "p54")),
    Query("jentik-jentik", "reduplication", ("p25", "p55")),
    Query("gotong-royong", "hyphen", GOTONG),
    Query("gotong royong", "hyphen", GOTONG),
    Query("gotongroyong", "hyphen", GOTONG),
    Query("kerja-bakti", "hyphen", KERJA_BAKTI),
    Query("kerja bakti", "hyphen", KERJA_BAKTI),
    Query("alun-alun Kajen", "hyphen", ("p38",)),
    Query("Dieng-Wonosobo", "hyphen", ("p22",)),
    Query("Pekalongan sungai", "place", ("p15",), ("p14", "p59")),
    Query("Kraton Kidul batik", "place", ("p12", "p61"), ("p11",)),
    Query("kebakaran Kedungwuni", "place", ("p50",), ("p66",)),
    Query("Wonosobo longsor", "place", ("p22",)),
    Query("Klaten batik", "place", ("p11",), ("p12",)),
    Query("Batang sawah", "place", ("p02", "p33"), ("p59",)),
    Query("Telaga Warna", "place", ("p28", "p70")),
    Query("Umbul Ponggok", "place", ("p29",)),
    Query("Bukit Sikunir", "place", ("p52",)),
    Query("Kalisalak", "place", ("p21", "p27")),
    Query("Semarang kerja bakti", "place", ("p04",), ("p05",)),
    Query("Tembalang ronda", "place", ("p54",), ("p23",)),
    Query("Sembungan", "place", ("p40",)),
    Query("POSYANDU", "case", ("p08", "p60")),
    Query("Batik PEKALONGAN", "case", ("p12", "p61"), ("p11",)),
    Query("gOtOnG RoYoNg", "case", GOTONG),
    Query("dolanan", "javanese", ("p47",)),
    Query("merti desa", "javanese", ("p21",)),
    Query("nyekar", "javanese", ("p62",)),
    Query("sedekah bumi", "javanese", ("p20",)),
    Query("megono", "javanese", ("p56",)),
    Query("guyub rukun", "javanese", ("p21",)),
    Query("posyandy", "typo", ("p08", "p60")),
    Query("penghijuan", "typo", ("p14",)),
    Query("gotong royongg", "typo", GOTONG),
    Query("kebersian", "typo", BERSIH),
    Query("Pekalogan sungai", "typo", ("p15",)),
    Query("kentan", "typo", KENTANG),
    Query("imunisai", "typo", ("p08",)),
    Query("banjir rob", "phrase", ("p15", "p49")),
    Query("yang terpilih", "stop words", PILIH),
    Query("batik -Klaten", "operators", ("p12", "p61"), ("p11",)),
    Query("kentang or carica", "operators", (*KENTANG, "p17")),
    Query('"bank sampah"', "operators", ("p43", "p44")),
    Query("petani kentang", "words", KENTANG),
    Query("keripik kentang", "words", ("p40",)),
]
