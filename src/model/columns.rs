//! The columns of `data/records/*.csv` (a contract: see DESIGN.md).

/// Every column a record file may have. The order is the order of the published
/// open-data CSV, not a requirement on input files (column order is free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Id,
    Surname,
    GivenName,
    Patronymic,
    SurnameKk,
    GivenNameKk,
    PatronymicKk,
    SurnameEn,
    GivenNameEn,
    PatronymicEn,
    NameVariants,
    Sex,
    BirthDate,
    BirthPlace,
    Nationality,
    Occupation,
    Residence,
    Region,
    District,
    ArrestDate,
    Charge,
    SentencedBy,
    SentenceDate,
    Sentence,
    SentenceYears,
    Fate,
    DeathDate,
    DeathPlace,
    RehabilitationDate,
    RehabilitatedBy,
    Archive,
    /// Editors' notes on the record (where a reference comes from, what the
    /// source leaves open): kept apart from the archive citation.
    Note,
    Source,
    Status,
}

pub const ALL: [Column; 34] = {
    use Column::*;
    [
        Id,
        Surname,
        GivenName,
        Patronymic,
        SurnameKk,
        GivenNameKk,
        PatronymicKk,
        SurnameEn,
        GivenNameEn,
        PatronymicEn,
        NameVariants,
        Sex,
        BirthDate,
        BirthPlace,
        Nationality,
        Occupation,
        Residence,
        Region,
        District,
        ArrestDate,
        Charge,
        SentencedBy,
        SentenceDate,
        Sentence,
        SentenceYears,
        Fate,
        DeathDate,
        DeathPlace,
        RehabilitationDate,
        RehabilitatedBy,
        Archive,
        Note,
        Source,
        Status,
    ]
};

/// Columns a file must have.
pub const REQUIRED: [Column; 5] = [Column::Id, Column::Surname, Column::GivenName, Column::Region, Column::Status];

/// Columns that describe the person rather than one case: on a second row of the
/// same id they must be empty or equal to the first row's.
pub const PERSON: [Column; 16] = {
    use Column::*;
    [
        Surname,
        GivenName,
        Patronymic,
        SurnameKk,
        GivenNameKk,
        PatronymicKk,
        SurnameEn,
        GivenNameEn,
        PatronymicEn,
        NameVariants,
        Sex,
        BirthDate,
        BirthPlace,
        Nationality,
        DeathDate,
        DeathPlace,
    ]
};

impl Column {
    pub fn name(self) -> &'static str {
        use Column::*;
        match self {
            Id => "id",
            Surname => "surname",
            GivenName => "given_name",
            Patronymic => "patronymic",
            SurnameKk => "surname_kk",
            GivenNameKk => "given_name_kk",
            PatronymicKk => "patronymic_kk",
            SurnameEn => "surname_en",
            GivenNameEn => "given_name_en",
            PatronymicEn => "patronymic_en",
            NameVariants => "name_variants",
            Sex => "sex",
            BirthDate => "birth_date",
            BirthPlace => "birth_place",
            Nationality => "nationality",
            Occupation => "occupation",
            Residence => "residence",
            Region => "region",
            District => "district",
            ArrestDate => "arrest_date",
            Charge => "charge",
            SentencedBy => "sentenced_by",
            SentenceDate => "sentence_date",
            Sentence => "sentence",
            SentenceYears => "sentence_years",
            Fate => "fate",
            DeathDate => "death_date",
            DeathPlace => "death_place",
            RehabilitationDate => "rehabilitation_date",
            RehabilitatedBy => "rehabilitated_by",
            Archive => "archive",
            Note => "note",
            Source => "source",
            Status => "status",
        }
    }

    pub fn from_name(name: &str) -> Option<Column> {
        ALL.iter().copied().find(|c| c.name() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}
