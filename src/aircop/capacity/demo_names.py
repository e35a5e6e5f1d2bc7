"""Invented but plausible names for the capacity-building demo (demo.py): per region of the
demo network for trainees, per nationality for trainers. Data only."""

# fmt: off
# region code -> (family names, given names of men, given names of women)
TRAINEES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "wca": (
        (
            "Diop", "Ndiaye", "Fall", "Sow", "Ba", "Traoré", "Keïta", "Coulibaly", "Diallo", "Camara",
            "Koné", "Ouédraogo", "Sawadogo", "Kaboré", "Zongo", "Mensah", "Agbeko", "Amouzou", "Kouassi",
            "Yao", "Konan", "Adjei", "Owusu", "Boateng", "Asante", "Okafor", "Adeyemi", "Okonkwo", "Eze",
            "Bello", "Abubakar", "Ibrahim", "Sesay", "Kamara", "Kanu", "Johnson", "Touré", "Cissé", "Mbaye",
            "Gueye", "Sylla", "Baldé", "Bah", "Barry", "Sanogo", "Ngom", "Faye", "Mbarga", "Nkoulou",
            "Ngoma", "Mbemba", "Ilunga", "Mukendi", "Kasongo", "Mahamat", "Abakar", "Moussa", "Issoufou",
            "Ould Ahmed", "Jallow", "Ceesay", "Darboe", "Gomes", "Mendes", "Tavares", "Nguema", "Obiang",
        ),
        (
            "Mamadou", "Moussa", "Ibrahima", "Abdoulaye", "Ousmane", "Cheikh", "Amadou", "Seydou", "Kofi",
            "Kwame", "Kwesi", "Yaw", "Emeka", "Chukwudi", "Tunde", "Olusegun", "Musa", "Sani", "Boubacar",
            "Issa", "Souleymane", "Koffi", "Komlan", "Yao", "Jean-Baptiste", "Serge", "Patrice", "Didier",
            "Blaise", "Arsène", "Mahamadou", "Lamin", "Alieu", "Foday", "Mohamed", "Hervé", "Landry",
        ),
        (
            "Aminata", "Fatou", "Awa", "Mariama", "Aïssatou", "Adjoa", "Akosua", "Abena", "Efua", "Ngozi",
            "Chiamaka", "Funmilayo", "Halima", "Hauwa", "Kadiatou", "Rokia", "Salimata", "Afi", "Akouvi",
            "Esther", "Grâce", "Nadège", "Clarisse", "Isatou", "Fanta", "Mariam", "Ramatou", "Nafissatou",
        ),
    ),
    "esa": (
        (
            "Tesfaye", "Bekele", "Haile", "Getachew", "Alemu", "Kebede", "Mekonnen", "Girma", "Otieno",
            "Odhiambo", "Kamau", "Mwangi", "Njoroge", "Kiptoo", "Okello", "Mugisha", "Nsubuga", "Ssemakula",
            "Machava", "Sitoe", "Cossa", "Nhantumbo", "Nkosi", "Dlamini", "Mokoena", "Khumalo", "Ndlovu",
        ),
        (
            "Abebe", "Dawit", "Yonas", "Tewodros", "Samuel", "Peter", "James", "John", "Joseph", "Moses",
            "Daniel", "Brian", "David", "Geoffrey", "Ronald", "Armando", "Celso", "Sipho", "Thabo", "Bongani",
        ),
        (
            "Almaz", "Selam", "Hana", "Meron", "Grace", "Mary", "Faith", "Esther", "Aisha", "Winnie",
            "Lindiwe", "Thandi", "Nomvula", "Amina", "Zawadi", "Achieng", "Wanjiru", "Lúcia", "Graça",
        ),
    ),
    "lac": (
        (
            "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
            "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Jiménez",
            "Castillo", "Vargas", "Rojas", "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa",
            "Ferreira", "Almeida", "Barbosa", "Lima", "Williams", "Brown", "Campbell", "Thompson",
            "Baptiste", "Charles", "Persaud", "Singh", "Ramdin", "Quispe", "Mamani", "Castro", "Ortiz",
        ),
        (
            "Juan", "Carlos", "José", "Luis", "Miguel", "Jorge", "Andrés", "Diego", "Javier", "Fernando",
            "João", "Pedro", "Paulo", "Marcos", "Rafael", "Ricardo", "Alejandro", "Héctor", "Oscar",
            "Andre", "Marlon", "Kevin", "Dwayne", "Ravi",
        ),
        (
            "María", "Ana", "Carmen", "Laura", "Paola", "Daniela", "Gabriela", "Claudia", "Mariana",
            "Fernanda", "Juliana", "Beatriz", "Camila", "Valentina", "Luisa", "Patricia", "Sandra",
            "Keisha", "Shanice", "Natalie", "Priya",
        ),
    ),
    "mena": (
        (
            "Al-Masri", "Haddad", "Khoury", "Nasser", "Saleh", "Hamdan", "Abdallah", "Mansour", "Khalil",
            "Youssef", "Ben Ali", "Trabelsi", "Jebali", "Gharbi", "Benjelloun", "El Idrissi", "Alaoui",
            "Bennani", "Tazi", "Farouk", "Hassan", "Ibrahim", "Mahmoud", "Al-Jabouri", "Al-Obaidi", "Kadhim",
            "Abu Zaid", "Al-Khatib", "Darwish", "Soliman",
        ),
        (
            "Mohammed", "Ahmed", "Omar", "Khaled", "Youssef", "Karim", "Hassan", "Ali", "Mahmoud", "Tarek",
            "Rami", "Fadi", "Samir", "Nabil", "Hicham", "Mehdi", "Walid", "Ziad", "Amr", "Haider",
        ),
        (
            "Fatima", "Leila", "Nour", "Rania", "Salma", "Huda", "Mariam", "Dina", "Amal", "Yasmine",
            "Samira", "Zeinab", "Rim", "Sana", "Lina",
        ),
    ),
    "europe": (
        (
            "Martin", "Bernard", "Dubois", "Lefebvre", "Fernández", "Ruiz", "Navarro", "Ferreira",
            "Rodrigues", "Janssens", "Peeters", "De Vries", "Jansen", "Bakker", "Müller", "Schmidt", "Weber",
        ),
        ("Pierre", "Nicolas", "Julien", "Pablo", "Sergio", "Tiago", "Rui", "Pieter", "Jan", "Thomas", "Lukas"),
        ("Sophie", "Camille", "Marta", "Lucía", "Inês", "Sara", "Eva", "Lotte", "Anna", "Julia", "Katrin"),
    ),
}

# Share of women among the trainees of each region (the programme reports about a quarter).
WOMEN_SHARE = {"wca": 0.22, "esa": 0.28, "lac": 0.33, "mena": 0.17, "europe": 0.35}

# nationality (ISO alpha-2) -> weight, organisations, family names, given names (men), given names (women)
TRAINERS: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "FR": (
        6, ("French Customs (DGDDI)", "French National Police", "UNODC"),
        ("Moreau", "Lambert", "Girard", "Roux", "Fontaine", "Chevalier"),
        ("Laurent", "Olivier", "Stéphane", "Philippe"), ("Isabelle", "Nathalie", "Céline"),
    ),
    "ES": (
        5, ("Spanish National Police", "Spanish Customs Surveillance", "UNODC"),
        ("Moreno", "Álvarez", "Romero", "Alonso", "Gutiérrez"),
        ("Javier", "Antonio", "Manuel"), ("Elena", "Cristina", "Pilar"),
    ),
    "PT": (
        3, ("Portuguese Judicial Police", "Portuguese Tax and Customs Authority"),
        ("Carvalho", "Sousa", "Martins", "Fernandes"),
        ("Nuno", "Miguel", "Hugo"), ("Ana", "Rita", "Sofia"),
    ),
    "US": (
        4, ("US Customs and Border Protection", "US Drug Enforcement Administration"),
        ("Miller", "Davis", "Wilson", "Anderson", "Taylor"),
        ("Michael", "Robert", "Christopher"), ("Jennifer", "Jessica", "Lisa"),
    ),
    "GB": (
        3, ("UK Border Force", "UK National Crime Agency"),
        ("Clarke", "Wright", "Hughes", "Edwards"),
        ("Mark", "Stephen", "Andrew"), ("Claire", "Rachel", "Helen"),
    ),
    "NL": (
        3, ("Royal Netherlands Marechaussee", "Netherlands Customs"),
        ("Visser", "Smit", "Meijer", "Mulder"),
        ("Pieter", "Bram", "Joost"), ("Marieke", "Femke"),
    ),
    "BE": (
        2, ("Belgian Federal Police", "Belgian Customs"),
        ("Claes", "Maes", "Willems", "Dupont"),
        ("Koen", "Didier"), ("An", "Véronique"),
    ),
    "DE": (
        2, ("German Federal Police", "German Customs"),
        ("Fischer", "Wagner", "Becker", "Hoffmann"),
        ("Markus", "Stefan"), ("Sabine", "Claudia"),
    ),
    "IT": (
        2, ("Italian Guardia di Finanza",),
        ("Rossi", "Russo", "Ferrari", "Esposito"),
        ("Marco", "Luca"), ("Giulia", "Francesca"),
    ),
    "CA": (
        2, ("Canada Border Services Agency", "Royal Canadian Mounted Police"),
        ("Tremblay", "Gagnon", "Roy", "MacDonald"),
        ("Éric", "Ryan"), ("Geneviève", "Megan"),
    ),
    "BR": (
        3, ("Brazilian Federal Police", "Brazilian Federal Revenue"),
        ("Araújo", "Ribeiro", "Gomes", "Cardoso"),
        ("Thiago", "Felipe", "Rodrigo"), ("Luciana", "Renata"),
    ),
    "CO": (
        2, ("Colombian National Police", "Colombian Customs (DIAN)"),
        ("Cárdenas", "Mejía", "Ospina", "Restrepo"),
        ("Andrés", "Camilo"), ("Catalina", "Natalia"),
    ),
    "SN": (
        2, ("Senegal Customs", "Senegal National Police", "UNODC"),
        ("Seck", "Thiam", "Sarr", "Niang"),
        ("Babacar", "Modou"), ("Khady", "Ndeye"),
    ),
    "NG": (
        2, ("Nigeria NDLEA", "Nigeria Customs Service"),
        ("Adebayo", "Nwosu", "Olawale", "Umar"),
        ("Chinedu", "Adewale"), ("Folake", "Amaka"),
    ),
    "MA": (
        2, ("Moroccan National Security (DGSN)", "Moroccan Customs"),
        ("Amrani", "Berrada", "Chraibi", "Lahlou"),
        ("Youssef", "Anas"), ("Nadia", "Khadija"),
    ),
    "JO": (
        1, ("Jordan Customs", "Jordan Anti-Narcotics Department"),
        ("Al-Zoubi", "Haddadin", "Obeidat"),
        ("Firas", "Laith"), ("Rana", "Dana"),
    ),
    "KE": (
        1, ("Kenya Revenue Authority", "Kenya National Police Service"),
        ("Wafula", "Cheruiyot", "Mutua"),
        ("Kennedy", "Dennis"), ("Mercy", "Joy"),
    ),
    "ZA": (
        1, ("South African Revenue Service",),
        ("Van der Merwe", "Botha", "Naidoo"),
        ("Pieter", "Johan"), ("Lerato", "Annelize"),
    ),
    "AT": (
        2, ("UNODC", "World Customs Organization"),
        ("Huber", "Gruber", "Bauer"),
        ("Florian", "Georg"), ("Verena", "Elisabeth"),
    ),
}

# country ISO alpha-2 -> working language of activities held there (default English)
LANGUAGE = {
    **dict.fromkeys(
        ["SN", "TG", "ML", "BF", "NE", "CI", "GN", "MR", "CM", "GA", "TD", "CD", "CG", "BJ", "TN", "MA", "FR", "BE"],
        "fr",
    ),
    **dict.fromkeys(["CO", "PA", "DO", "PE", "EC", "AR", "BO", "SV", "GT", "ES"], "es"),
    **dict.fromkeys(["BR", "MZ", "CV", "GW", "PT", "AO"], "pt"),
    **dict.fromkeys(["JO", "LB", "EG", "IQ"], "ar"),
}

JOB_TITLES = {
    "customs": ("Customs inspector", "Customs officer", "Senior customs officer", "Customs intelligence officer"),
    "police": ("Police officer", "Police inspector", "Investigator", "Drug squad officer"),
    "immigration": ("Immigration officer", "Border control officer", "Document examiner"),
    "drug_enforcement": ("Narcotics officer", "Drug enforcement agent"),
    "national_security": ("Security officer", "Intelligence officer"),
    "airport_authority": ("Airport security officer", "Screening supervisor"),
    "other": ("Officer",),
}
# fmt: on
HEAD_TITLES = ("Head of the task force", "Deputy head of the task force", "Team leader", "Analyst")
