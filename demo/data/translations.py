"""English and (placeholder) Hmong translations of some pages.

Made as a translator makes them with Wagtail's "Translate" action (simple_translation): the
Vietnamese page is copied into the other language's tree, its words replaced, and the copy
published. The Vietnamese page stays the original that carries prices, stock and traceability;
batches are never translated. Three products stay Vietnamese only, so that the "not translated
yet" notice can be seen in the demo.

"""

from demo.specs import PageTranslation

TRANSLATION_LANGUAGES = ("en", "hmn")

TQ_COOP = "htx-thao-qua-si-lo-lau"
ST_COOP = "htx-che-shan-tuyet-la-di-thang"
DISTRICT_EN = "Sì Lở Lầu commune, Phong Thổ district, Lai Châu province"

# In tree order: a page's parent is translated before the page.
TRANSLATIONS = (
    PageTranslation(
        (),
        "en",
        "Sì Lở Lầu commune market",
        fields={
            "intro": (
                "<p>Black cardamom, Shan Tuyết tea, Lai Châu ginseng and medicinal herbs from the people "
                f"of {DISTRICT_EN}. Scan the QR code on a package to see where its batch comes from.</p>"
            )
        },
    ),
    PageTranslation(
        ("cooperatives",),
        "en",
        "Cooperatives",
        fields={
            "intro": (
                "The cooperatives of Sì Lở Lầu commune: who grows what, in which village, and what they make."
            )
        },
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP),
        "en",
        "Sì Lở Lầu Cardamom Cooperative",
        fields={"address": f"Sì Lở Lầu village, {DISTRICT_EN}"},
        paragraphs=(
            "<p>Hà Nhì and Dao households of Sì Lở Lầu village founded the cooperative in 2016. Black "
            "cardamom grows under old forest above 1,800 m; it is picked in October and November and "
            "dried over the kitchen fire or in the cooperative's kiln.</p>",
            "<p>Besides cardamom, member households grow <b>Lai Châu ginseng</b> and <b>dong quai</b> "
            "under the forest canopy, following GACP-WHO guidance, and record every batch they harvest.</p>",
        ),
        quote=("My cardamom dries over the kitchen fire; the whole village smells of it.", "Lý A Sử, member"),
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP, "thao-qua-kho"),
        "en",
        "Black cardamom (thảo quả)",
        fields={
            "summary": (
                "Ripe black cardamom pods (Amomum tsao-ko), dried over the kitchen fire; strongly "
                "aromatic, with reddish-brown skins."
            )
        },
        paragraphs=(
            "<p>Black cardamom grows under old forest, without chemical fertiliser. The pods are picked "
            "ripe and red, then dried over a wood fire for 3–4 days until the skins are dry and brittle.</p>",
            "<p>Use it in phở, stews, braised pork and infused rice spirit. Keep it in a dry place.</p>",
        ),
        voice_caption=(
            "Dried black cardamom from Sì Lở Lầu is grown under old forest, picked when the pods are "
            "ripe and red, then dried over the kitchen fire."
        ),
    ),
    PageTranslation(
        ("cooperatives", TQ_COOP, "sam-lai-chau"),
        "en",
        "Lai Châu ginseng",
        fields={
            "summary": (
                "Roots of Lai Châu ginseng (Panax vietnamensis var. fuscidiscus) grown under forest "
                "canopy, at least 5 years old."
            )
        },
        paragraphs=(
            "<p>Lai Châu ginseng is a rare ginseng of the high mountains of Lai Châu. It grows under "
            "forest canopy above 1,600 m; every harvested batch has its GACP-WHO record.</p>",
            "<p>Sold as fresh roots, boxed with a certificate of origin.</p>",
        ),
        voice_caption=(
            "Lai Châu ginseng is grown under forest canopy, above one thousand six hundred metres; every "
            "harvested batch has a record of its origin."
        ),
    ),
    PageTranslation(
        ("cooperatives", ST_COOP),
        "en",
        "Lả Dì Thàng Shan Tuyết Tea Cooperative",
        fields={"address": f"Lả Dì Thàng village, {DISTRICT_EN}"},
        paragraphs=(
            "<p>Lả Dì Thàng village has hundreds of ancient Shan Tuyết tea trees, whose buds are covered "
            "in white down like snow. The cooperative picks one bud and two leaves, pan-fires them in "
            "cast-iron woks and rolls them by hand.</p>",
            "<p>Member households also keep bees for honey and dry bamboo shoots from the village's "
            "bamboo forest.</p>",
        ),
        quote=(
            "My grandfather planted this tea tree; now my grandchildren pick it.",
            "Tẩn Thị Mẩy, head of the cooperative",
        ),
    ),
    PageTranslation(
        ("cooperatives", ST_COOP, "che-shan-tuyet-co-thu"),
        "en",
        "Shan Tuyết tea",
        fields={"summary": "Buds from ancient Shan Tuyết tea trees over 100 years old, pan-fired by hand."},
        paragraphs=(
            "<p>The tea is golden and smooth, with a long sweet aftertaste. Brew 5 g of tea in 150 ml of "
            "water at about 90 °C for 2–3 minutes; the leaves give 4–5 brews.</p>",
        ),
    ),
    PageTranslation(
        ("shop",),
        "en",
        "Shop",
        fields={
            "intro": (
                "Specialities of Sì Lở Lầu commune, bought directly from the cooperatives. "
                "Pay by VietQR bank transfer."
            )
        },
    ),
    PageTranslation(
        ("growing-areas",),
        "en",
        "Growing-area codes",
        fields={
            "intro": (
                "The register of growing-area codes (mã số vùng trồng) of Sì Lở Lầu commune: which codes "
                "are valid, what is grown and in which village. Type the code printed on a package to "
                "check it."
            ),
            "report_contact": (
                "One-stop desk of the Sì Lở Lầu commune People's Committee, phone 0213 3890 000"
            ),
        },
    ),
    # PLACEHOLDER Hmong (White Hmong, RPA spelling), written by someone who does not speak it and
    # kept to a few common words; a Hmong translator must check it before the site is used for
    # real. The spoken clip (Vietnamese for now) carries the description.
    PageTranslation(
        (),
        "hmn",
        "Khw Sì Lở Lầu",
        fields={"intro": "<p>Nyob zoo! Thảo quả, chè Shan tuyết, sâm Lai Châu ntawm Sì Lở Lầu.</p>"},
    ),
    # PLACEHOLDER Hmong, as above. Wagtail puts aliases of the Vietnamese cooperative pages above
    # it in the Hmong tree (copy_parents), as its own "Translate" action does.
    PageTranslation(
        ("cooperatives", TQ_COOP, "thao-qua-kho"),
        "hmn",
        "Thảo quả qhuav Sì Lở Lầu",
        fields={"summary": "Thảo quả qhuav. Mloog lus Nyab Laj."},
        paragraphs=("<p>Thảo quả qhuav ntawm Sì Lở Lầu.</p>",),
        # No voice_caption: the clip keeps its Vietnamese transcript, which is what it says.
    ),
)
