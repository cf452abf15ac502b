"""The shipped code lists, aligned with the WCO's enforcement reporting areas.

Codes are stable identifiers that travel with exchanged records; labels may be renamed.
"""

from django.db import migrations

MASS = ["kg", "g"]
UNITS = [
    ("kg", "Kilograms", "Kilogrammes"),
    ("g", "Grams", "Grammes"),
    ("l", "Litres", "Litres"),
    ("pieces", "Pieces", "Pièces"),
    ("sticks", "Sticks", "Bâtons"),
    ("packs", "Packs", "Paquets"),
    ("units", "Units", "Unités"),
    ("currency", "Amount of currency", "Montant en devises"),
]

FLAT_LISTS = {
    "location_type": [
        ("airport", "Airport", "Aéroport"),
        ("seaport", "Seaport", "Port maritime"),
        ("land_border", "Land border", "Frontière terrestre"),
        ("mail_centre", "Mail centre", "Centre de tri postal"),
        ("express_courier_hub", "Express courier hub", "Centre de fret express"),
        ("inland", "Inland", "Intérieur du territoire"),
        ("at_sea", "At sea", "En mer"),
    ],
    "customs_procedure": [
        ("import", "Import", "Importation"),
        ("export", "Export", "Exportation"),
        ("transit", "Transit", "Transit"),
        ("transhipment", "Transhipment", "Transbordement"),
        ("domestic", "Domestic", "Intérieur"),
    ],
    "detection_method": [
        ("routine_control", "Routine control", "Contrôle de routine"),
        ("risk_profiling", "Risk profiling or targeting", "Profilage ou ciblage"),
        ("intelligence", "Intelligence", "Renseignement"),
        ("random_check", "Random check", "Contrôle aléatoire"),
        ("detector_dog", "Detector dog", "Chien détecteur"),
        ("xray_scanner", "X-ray or scanner", "Rayons X ou scanner"),
        ("other", "Other", "Autre"),
    ],
    "transport_mode": [
        ("air_passenger", "Air passenger", "Passager aérien"),
        ("air_cargo", "Air cargo", "Fret aérien"),
        ("sea_passenger", "Sea passenger", "Passager maritime"),
        ("sea_cargo", "Sea cargo or container", "Fret maritime ou conteneur"),
        ("yacht_small_craft", "Yacht or small craft", "Yacht ou petite embarcation"),
        ("road", "Road", "Route"),
        ("rail", "Rail", "Rail"),
        ("postal", "Postal", "Postal"),
        ("express_courier", "Express courier", "Fret express"),
    ],
    "concealment_method": [
        ("baggage", "In baggage", "Dans les bagages"),
        ("on_body", "On body", "Sur le corps"),
        ("internal", "Internal (swallowed)", "In corpore (ingéré)"),
        ("cargo", "In cargo or goods", "Dans le fret ou les marchandises"),
        (
            "conveyance_cavity",
            "In a cavity of the conveyance",
            "Dans une cavité du moyen de transport",
        ),
        ("mail_item", "In a mail item", "Dans un envoi postal"),
        ("undeclared", "Undeclared, no concealment", "Non déclaré, sans dissimulation"),
        ("other", "Other", "Autre"),
    ],
    "offence_type": [
        ("smuggling", "Smuggling", "Contrebande"),
        ("false_declaration", "False declaration", "Fausse déclaration"),
        ("undervaluation", "Undervaluation", "Sous-évaluation"),
        ("prohibited", "Prohibited import or export", "Importation ou exportation prohibée"),
        ("ipr_infringement", "IPR infringement", "Atteinte aux droits de propriété intellectuelle"),
        ("money_laundering", "Money laundering", "Blanchiment d'argent"),
        ("other", "Other", "Autre"),
    ],
    "offence_status": [
        ("under_investigation", "Under investigation", "En cours d'enquête"),
        ("referred", "Referred to prosecution", "Transmis au parquet"),
        ("penalty_imposed", "Penalty imposed", "Sanction infligée"),
        ("convicted", "Court conviction", "Condamnation judiciaire"),
        ("closed", "Closed", "Clos"),
    ],
}

# (code, English, French, units allowed for the group), then the group's commodities as
# (code, English, French, units of their own or None to take the group's).
COMMODITIES = [
    (
        ("drugs", "Drugs", "Stupéfiants", [*MASS, "l", "pieces", "units"]),
        [
            ("cannabis_herbal", "Cannabis, herbal", "Cannabis, herbe", MASS),
            ("cannabis_resin", "Cannabis resin", "Résine de cannabis", MASS),
            ("cannabis_plants", "Cannabis plants", "Plants de cannabis", ["pieces"]),
            ("cannabis_oil", "Cannabis oil", "Huile de cannabis", [*MASS, "l"]),
            ("cocaine", "Cocaine", "Cocaïne", MASS),
            ("heroin_opioids", "Heroin and other opioids", "Héroïne et autres opioïdes", MASS),
            (
                "methamphetamine",
                "Methamphetamine and other ATS",
                "Méthamphétamine et autres STA",
                MASS,
            ),
            ("mdma", "MDMA", "MDMA", [*MASS, "pieces"]),
            (
                "nps",
                "New psychoactive substances",
                "Nouvelles substances psychoactives",
                [*MASS, "pieces"],
            ),
            ("khat", "Khat", "Khat", MASS),
            ("kava", "Kava beyond allowance", "Kava au-delà de la franchise", [*MASS, "l"]),
            (
                "pharmaceuticals",
                "Pharmaceuticals misused",
                "Médicaments détournés",
                [*MASS, "pieces", "units"],
            ),
        ],
    ),
    (
        ("precursors", "Precursors", "Précurseurs", [*MASS, "l"]),
        [
            ("pseudoephedrine", "Pseudoephedrine", "Pseudoéphédrine", None),
            ("ephedrine", "Ephedrine", "Éphédrine", None),
            ("p2p", "P2P", "P2P", None),
            ("acetic_anhydride", "Acetic anhydride", "Anhydride acétique", None),
            ("precursor_other", "Other precursor chemicals", "Autres précurseurs chimiques", None),
        ],
    ),
    (
        ("tobacco", "Tobacco", "Tabac", ["sticks", "packs", "pieces", *MASS, "l", "units"]),
        [
            ("cigarettes", "Cigarettes", "Cigarettes", ["sticks", "packs"]),
            ("cigars", "Cigars", "Cigares", ["pieces"]),
            ("raw_tobacco", "Raw tobacco", "Tabac brut", MASS),
            ("waterpipe_tobacco", "Water-pipe tobacco", "Tabac à narguilé", MASS),
            (
                "e_cigarettes",
                "E-cigarettes and liquids",
                "Cigarettes électroniques et liquides",
                ["pieces", "units", "l"],
            ),
        ],
    ),
    (
        ("alcohol", "Alcohol", "Alcool", ["l"]),
        [
            ("spirits", "Spirits", "Spiritueux", None),
            ("beer", "Beer", "Bière", None),
            ("wine", "Wine", "Vin", None),
            ("ethanol", "Ethanol", "Éthanol", None),
        ],
    ),
    (
        (
            "ipr_health_safety",
            "IPR, health and safety",
            "PI, santé et sécurité",
            ["pieces", "units", *MASS],
        ),
        [
            ("counterfeit_goods", "Counterfeit goods", "Marchandises contrefaites", None),
            ("falsified_medicines", "Falsified medicines", "Médicaments falsifiés", None),
            ("unsafe_products", "Unsafe products", "Produits dangereux", None),
        ],
    ),
    (
        ("environment", "Environment", "Environnement", ["pieces", "units", *MASS, "l"]),
        [
            ("cites_fauna", "CITES fauna", "Faune CITES", ["pieces", "units", *MASS]),
            ("cites_flora", "CITES flora", "Flore CITES", ["pieces", "units", *MASS]),
            ("timber", "Timber", "Bois", ["pieces", *MASS]),
            (
                "ozone_depleting",
                "Ozone-depleting substances",
                "Substances appauvrissant la couche d'ozone",
                [*MASS, "units"],
            ),
            ("hazardous_waste", "Hazardous waste", "Déchets dangereux", [*MASS, "l"]),
            (
                "illegal_fishing",
                "Illegal fishing products",
                "Produits de pêche illicite",
                [*MASS, "pieces"],
            ),
        ],
    ),
    (
        ("security", "Security", "Sécurité", ["pieces", "units", *MASS]),
        [
            ("firearms", "Firearms", "Armes à feu", ["pieces"]),
            ("firearm_parts", "Firearm parts", "Pièces d'armes à feu", ["pieces"]),
            ("ammunition", "Ammunition", "Munitions", ["pieces", *MASS]),
            ("explosives", "Explosives", "Explosifs", [*MASS, "pieces"]),
            (
                "military_dual_use",
                "Military and dual-use goods",
                "Biens militaires et à double usage",
                None,
            ),
            (
                "nuclear_radioactive",
                "Nuclear and radioactive material",
                "Matières nucléaires et radioactives",
                None,
            ),
        ],
    ),
    (
        (
            "cash",
            "Cash and bearer instruments",
            "Espèces et instruments au porteur",
            ["currency", *MASS, "pieces"],
        ),
        [
            ("undeclared_currency", "Undeclared currency", "Devises non déclarées", ["currency"]),
            (
                "bearer_instruments",
                "Bearer negotiable instruments",
                "Instruments négociables au porteur",
                ["currency", "pieces"],
            ),
            ("gold", "Gold", "Or", MASS),
        ],
    ),
    (
        ("cultural_heritage", "Cultural heritage", "Patrimoine culturel", ["pieces"]),
        [
            ("antiquities", "Antiquities", "Antiquités", None),
            ("artefacts", "Artefacts", "Objets d'art", None),
        ],
    ),
    (
        ("revenue", "Revenue", "Recettes", []),
        [
            (
                "undervalued_goods",
                "Undervalued or misdeclared goods",
                "Marchandises sous-évaluées ou mal déclarées",
                None,
            ),
            ("revenue_other", "Other revenue fraud", "Autre fraude aux recettes", None),
        ],
    ),
    (
        ("other", "Other", "Autre", []),
        [
            ("other_goods", "Other goods", "Autres marchandises", None),
        ],
    ),
]


def load(apps, schema_editor):
    Code = apps.get_model("seizures", "Code")
    units = {}
    for order, (code, label, label_fr) in enumerate(UNITS):
        units[code] = Code.objects.create(
            list="unit", code=code, label=label, label_fr=label_fr, sort_order=order
        )
    for list_name, entries in FLAT_LISTS.items():
        for order, (code, label, label_fr) in enumerate(entries):
            Code.objects.create(
                list=list_name, code=code, label=label, label_fr=label_fr, sort_order=order
            )
    for group_order, ((code, label, label_fr, group_units), children) in enumerate(COMMODITIES):
        group = Code.objects.create(
            list="commodity", code=code, label=label, label_fr=label_fr, sort_order=group_order
        )
        group.units.set([units[name] for name in group_units])
        for order, (child_code, child_label, child_fr, child_units) in enumerate(children):
            child = Code.objects.create(
                list="commodity",
                code=child_code,
                label=child_label,
                label_fr=child_fr,
                parent=group,
                sort_order=order,
            )
            if child_units:
                child.units.set([units[name] for name in child_units])


def unload(apps, schema_editor):
    apps.get_model("seizures", "Code").objects.filter(administration__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("seizures", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
