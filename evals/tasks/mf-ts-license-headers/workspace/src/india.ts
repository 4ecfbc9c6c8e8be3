// Copyright 2024 Example Corp. All rights reserved.

export const india = "india";
