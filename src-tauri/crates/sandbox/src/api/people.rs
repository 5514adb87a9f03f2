//! Generated people and addresses: the recipients in the seed data and the neighbours a radius
//! search finds. A fixed-seed generator, so the same sandbox always has the same people.

use serde_json::json;

use super::world::Fields;

/// A small xorshift generator: variety without randomness.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Theo", "Priya", "Diego",
    "Grace", "Omar", "Hannah", "Kenji",
];
const LAST: &[&str] = &[
    "Garcia", "Smith", "Johnson", "Nguyen", "Patel", "Williams", "Brown", "Martinez", "Okafor",
    "Anderson", "Kim", "Thompson", "Rivera", "Walker", "Chen", "Lopez", "Hall", "Young", "Schultz",
    "Murphy",
];
const STREETS: &[&str] = &[
    "Maple Ave",
    "Oak Street",
    "Cedar Lane",
    "Elm Drive",
    "Lakeview Rd",
    "Sunset Blvd",
    "Willow Way",
    "Highland Ave",
    "Pine Court",
    "Riverside Dr",
    "Chestnut St",
    "Meadow Lane",
];
/// (city, state, ZIP)
const CITIES: &[(&str, &str, &str)] = &[
    ("Austin", "TX", "78704"),
    ("Denver", "CO", "80206"),
    ("Portland", "OR", "97205"),
    ("Raleigh", "NC", "27603"),
    ("Madison", "WI", "53703"),
    ("Boise", "ID", "83702"),
    ("Tampa", "FL", "33606"),
    ("Columbus", "OH", "43215"),
];
/// (city, province, postal code, country)
const ABROAD: &[(&str, &str, &str, &str)] = &[
    ("Toronto", "ON", "M5V 2T6", "CA"),
    ("Vancouver", "BC", "V6B 1A1", "CA"),
    ("London", "", "SW1A 1AA", "GB"),
];
pub(crate) fn person(rng: &mut Rng) -> Fields {
    let (city, state, zip) = *rng.pick(CITIES);
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let mut f = Fields::new();
    f.insert("name".into(), json!(format!("{first} {last}")));
    f.insert(
        "address".into(),
        json!(format!("{} {}", 100 + rng.below(9800), rng.pick(STREETS))),
    );
    f.insert("city".into(), json!(city));
    f.insert("province".into(), json!(state));
    f.insert("postal_code".into(), json!(zip));
    f.insert("country".into(), json!("US"));
    if rng.below(3) == 0 {
        f.insert(
            "email".into(),
            json!(format!(
                "{}.{}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
        );
    }
    f
}

pub(crate) fn person_abroad(rng: &mut Rng) -> Fields {
    let mut f = person(rng);
    let (city, province, postal, country) = *rng.pick(ABROAD);
    f.insert("city".into(), json!(city));
    f.insert("province".into(), json!(province));
    f.insert("postal_code".into(), json!(postal));
    f.insert("country".into(), json!(country));
    f
}

/// How many neighbours a radius search around this ZIP can find: 0 for `00000`, otherwise a
/// stable number between 40 and 299.
pub(crate) fn neighbours_available(postal_code: &str) -> u64 {
    if postal_code.trim() == "00000" {
        return 0;
    }
    40 + fnv(postal_code.trim()) % 260
}

/// `count` plausible addresses around `address`: same city/state/ZIP when the address is a
/// one-line "street, city, ST 12345", otherwise Austin.
pub(crate) fn neighbours(address: &str, count: u64) -> Vec<Fields> {
    let mut rng = Rng(fnv(address) | 1);
    let parts: Vec<&str> = address.split(',').map(str::trim).collect();
    let (city, state, zip) = match parts.as_slice() {
        [_, city, state_zip] => {
            let (state, zip) = state_zip.split_once(' ').unwrap_or((state_zip, "78701"));
            ((*city).to_owned(), state.to_owned(), zip.trim().to_owned())
        }
        _ => ("Austin".to_owned(), "TX".to_owned(), "78701".to_owned()),
    };
    (0..count)
        .map(|n| {
            let mut f = person(&mut rng);
            f.insert(
                "address".into(),
                json!(format!("{} {}", 100 + 2 * n, rng.pick(STREETS))),
            );
            f.insert("city".into(), json!(city));
            f.insert("province".into(), json!(state));
            f.insert("postal_code".into(), json!(zip));
            f.remove("email");
            f
        })
        .collect()
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_neighbours() {
        assert_eq!(neighbours_available("00000"), 0);
        assert!((40..300).contains(&neighbours_available("78701")));
        let n = neighbours("500 Congress Ave, Austin, TX 78701", 3);
        assert_eq!(n.len(), 3);
        assert_eq!(n[0]["postal_code"], "78701");
    }
}
