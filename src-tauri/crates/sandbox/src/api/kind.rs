//! The mailer types behind `/send/{type}` and `/estimate/{type}`, and their names in each place
//! thanks.io uses them (path segment, order `type`, `display_type`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MailKind {
    Postcard,
    WindowedLetter,
    WindowlessLetter,
    Notecard,
    Giftcard,
    Magnacard,
}

/// Postcard sizes; the first is the default.
pub(crate) const POSTCARD_SIZES: [&str; 3] = ["4x6", "6x9", "6x11"];

impl MailKind {
    /// The path segment; `letter` is the pre-2026 name of `windowedletter` (§5).
    pub(crate) fn from_path(segment: &str) -> Option<Self> {
        Some(match segment {
            "postcard" => Self::Postcard,
            "windowedletter" | "letter" => Self::WindowedLetter,
            "windowlessletter" => Self::WindowlessLetter,
            "notecard" => Self::Notecard,
            "giftcard" => Self::Giftcard,
            "magnacard" => Self::Magnacard,
            _ => return None,
        })
    }

    /// The order's `type` field (6x11 postcards are their own type there).
    pub(crate) fn order_type(self, size: &str) -> &'static str {
        match self {
            Self::Postcard if size == "6x11" => "postcard6x11",
            Self::Postcard => "postcard",
            Self::WindowedLetter => "letter",
            Self::WindowlessLetter => "windowlessletter",
            Self::Notecard => "notecard",
            Self::Giftcard => "giftcard",
            Self::Magnacard => "magnacard",
        }
    }

    pub(crate) fn display_type(self, size: &str) -> String {
        match self {
            Self::Postcard => format!("Postcard-{size}"),
            Self::WindowedLetter => "Windowed Letter".to_owned(),
            Self::WindowlessLetter => "Windowless Letter".to_owned(),
            Self::Notecard => "Notecard".to_owned(),
            Self::Giftcard => "Gift Card".to_owned(),
            Self::Magnacard => "MagnaCard".to_owned(),
        }
    }

    /// The physical size reported for types whose size isn't chosen.
    pub(crate) fn fixed_size(self) -> &'static str {
        match self {
            Self::Postcard => POSTCARD_SIZES[0],
            Self::WindowedLetter | Self::WindowlessLetter => "8.5x11",
            Self::Notecard | Self::Giftcard => "4.25x5.5",
            Self::Magnacard => "4x6",
        }
    }

    /// Postcards, notecards, magnacards and gift cards must have a front image; a letter's
    /// background is optional.
    pub(crate) fn needs_front_image(self) -> bool {
        !self.is_letter()
    }

    pub(crate) fn is_letter(self) -> bool {
        matches!(self, Self::WindowedLetter | Self::WindowlessLetter)
    }
}
